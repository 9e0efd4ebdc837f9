using System;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Training;

/// <summary>Chooses the training device and moves batches to it.</summary>
public static class Devices
{
    /// <summary>CUDA when libtorch can use it, else the CPU.</summary>
    public static Device Default => cuda.is_available() ? CUDA : CPU;

    /// <summary>Parses a device option: <c>auto</c> (or empty), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <param name="spec">The option's text.</param>
    /// <exception cref="ArgumentException">An unknown name, or CUDA requested where it is not available.</exception>
    public static Device Parse(string? spec)
    {
        var text = (spec ?? "").Trim().ToLowerInvariant();
        if (text is "" or "auto")
            return Default;
        if (text == "cpu")
            return CPU;
        if (text == "cuda" || text.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException(
                    $"Device '{spec}' was requested but CUDA is not available: this process uses a CPU build of libtorch or has no GPU. " +
                    "Build with -p:TorchBackend=cuda on a machine with an NVIDIA driver, or use --device cpu.", nameof(spec));
            var index = text == "cuda" ? 0 : int.TryParse(text[5..], out var i) && i >= 0 ? i : -1;
            if (index < 0 || index >= cuda.device_count())
                throw new ArgumentException($"Device '{spec}' does not exist: {cuda.device_count()} CUDA device(s) are available.", nameof(spec));
            return device(DeviceType.CUDA, index);
        }
        throw new ArgumentException($"Unknown device '{spec}': use auto, cpu, cuda or cuda:N.", nameof(spec));
    }

    /// <summary>Whether <paramref name="tensor"/> already lives on <paramref name="target"/>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="target">The device.</param>
    public static bool IsOn(Tensor tensor, Device target) =>
        tensor.device_type == target.type
        && (target.type == DeviceType.CPU || tensor.device_index == Math.Max(target.index, 0));

    /// <summary>
    /// Returns <paramref name="tensor"/> on <paramref name="target"/>: itself when it is already there; on CUDA, a
    /// non-blocking copy from page-locked (pinned) memory, pinning first when the source is not pinned yet.
    /// </summary>
    /// <param name="tensor">The batch tensor (created in the caller's dispose scope).</param>
    /// <param name="target">The training device.</param>
    public static Tensor ToDevice(Tensor tensor, Device target)
    {
        if (IsOn(tensor, target))
            return tensor;
        if (target.type == DeviceType.CUDA && tensor.device_type == DeviceType.CPU)
        {
            // A non-blocking host-to-device copy is only asynchronous from pinned memory; the copy then overlaps
            // with the previous batch's kernels.
            var pinned = tensor.is_pinned() ? tensor : tensor.pin_memory();
            return pinned.to(target, non_blocking: true);
        }
        return tensor.to(target);
    }
}

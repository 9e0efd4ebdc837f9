using System;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// Where a batch's memory lives (PyTorch's <c>_utils/pin_memory.py</c> and the device copy of its loader): the one place
/// that allocates collated buffers (pinned or not), pins batches, moves them to a device, and hands their ownership from
/// the loading thread to the consumer's.
/// </summary>
internal static class BatchPlacement
{
    /// <summary>A new, uninitialised CPU tensor for a collated leaf, in page-locked memory when <paramref name="pin"/>,
    /// and a span over its elements to write them.</summary>
    public static Tensor Empty<T>(long[] dims, ScalarType dtype, bool pin, out Span<T> elements) where T : unmanaged
    {
        var result = empty(dims, dtype);
        if (pin)
        {
            // Preallocate the page-locked buffer and write into it, instead of copying a finished batch into pinned memory.
            var pinned = result.pin_memory();
            result.Dispose();
            result = pinned;
        }
        elements = MemoryMarshal.Cast<byte, T>(result.bytes);
        return result;
    }

    /// <summary>Puts every tensor of <paramref name="batch"/> that is not pinned yet into page-locked memory (leaves the
    /// default collate wrote are pinned already; tensors a dataset or a custom collate made are copied here).</summary>
    public static TBatch Pin<TBatch>(TBatch batch) =>
        // The unpinned originals are left to the loading thread's dispose scope: a tensor the dataset owns is not ours to dispose.
        BatchTensors.Map(batch, t => t.is_pinned() ? t : t.pin_memory());

    /// <summary>Copies the batch to <paramref name="device"/> (non-blocking from pinned memory), disposing the CPU
    /// originals; the copies join the calling thread's dispose scope, if any.</summary>
    public static TBatch ToDevice<TBatch>(TBatch batch, Device device, bool nonBlocking) =>
        BatchTensors.Map(batch, t =>
        {
            var moved = t.to(device, non_blocking: nonBlocking);
            if (!ReferenceEquals(moved, t))
                t.Dispose();
            return moved;
        });

    /// <summary>On the loading thread: takes the batch's tensors out of that thread's dispose scope, which then disposes
    /// only the per-item temporaries.</summary>
    public static void DetachFrom(DisposeScope scope, object? batch) => BatchTensors.ForEach(batch, t => scope.Detach(t));

    /// <summary>On the consumer's thread: hands the batch over as if its tensors had been created there and then, so they
    /// join the consumer's current dispose scope if one is open, and stay unowned otherwise.</summary>
    public static TBatch Adopt<TBatch>(TBatch batch)
    {
        using var probe = NewDisposeScope();
        BatchTensors.ForEach(batch, t =>
        {
            probe.Attach(t);
            probe.MoveToOuter(t);
        });
        return batch;
    }
}

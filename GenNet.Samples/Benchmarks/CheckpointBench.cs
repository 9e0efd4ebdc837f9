using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using GenNet.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Samples.Benchmarks;

/// <summary>
/// <c>bench checkpoint</c>: saving and loading a 100 MB state_dict as safetensors (and as a torch.save-format
/// <c>.pt</c>) against the floor, a plain copy of the same bytes, and against PyTorch 1.13's torch.save/torch.load of
/// the same tensors, interleaved round by round in one folder, with dirty pages flushed before each timed operation;
/// medians. Loads read from the page cache, as a training job reloading its own checkpoint does.
/// </summary>
internal static class CheckpointBench
{
    private const int Tensors = 25;
    private const int Rows = 1000;
    private const int Cols = 1000; // 25 × 1000 × 1000 float32 = 100 MB

    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds (median reported).", DefaultValueFactory = _ => 5 };
        var python = new Option<string>("--python") { Description = "Python with torch for the reference.", DefaultValueFactory = _ => PythonReference.Interpreter };
        var folder = new Option<string?>("--folder") { Description = "Where the files go (default: a new temporary folder, deleted afterwards)." };
        var command = new Command("checkpoint", "Save/load of a 100 MB state_dict: safetensors and .pt vs a file copy and PyTorch's torch.save/torch.load.");
        command.Options.Add(rounds);
        command.Options.Add(python);
        command.Options.Add(folder);
        command.SetAction(r => Run(Math.Max(1, r.GetValue(rounds)), r.GetValue(python)!, r.GetValue(folder)));
        return command;
    }

    private static int Run(int rounds, string python, string? folderOption)
    {
        Native.TorchNative.EnsureLoaded();
        var folder = folderOption is null ? Directory.CreateTempSubdirectory("gennet-bench-checkpoint-").FullName : Path.GetFullPath(folderOption);
        Directory.CreateDirectory(folder);
        var script = Path.Combine(AppContext.BaseDirectory, "Benchmarks", "reference", "checkpoint_bench.py");
        var pythonUsable = File.Exists(script) && PythonReference.HasTorch(python);
        try
        {
            manual_seed(0);
            var state = Enumerable.Range(0, Tensors).ToDictionary(i => $"layers.{i}.weight", _ => rand(Rows, Cols).DetachFromDisposeScope());
            var megabytes = Tensors * (long)Rows * Cols * 4 / 1e6;
            var st = Path.Combine(folder, "model.safetensors");
            var copy = Path.Combine(folder, "copy.safetensors");
            var pt = Path.Combine(folder, "model.pt");
            Console.WriteLine($"bench checkpoint: {Tensors} float32 tensors, {megabytes:F0} MB, in {folder}; median of {rounds} interleaved rounds; shared machine, compare ratios");
            Console.WriteLine(pythonUsable ? $"pytorch: {python}" : $"pytorch: na ({python} with torch not found; apt-get install -y python3-torch)");

            var names = new[] { "safetensors save", "safetensors load", "file copy", ".pt save", ".pt load", "torch.save", "torch.load" };
            var times = names.ToDictionary(n => n, _ => new List<double>());
            void Time(string name, Action action)
            {
                Sync();
                var clock = Stopwatch.StartNew();
                action();
                times[name].Add(clock.Elapsed.TotalSeconds);
            }

            for (var round = -1; round < rounds; round++) // round -1 warms up every path and is not counted
            {
                foreach (var f in new[] { st, copy, pt })
                    File.Delete(f);
                Time("safetensors save", () => SafeTensors.Save(st, state));
                Time("file copy", () => File.Copy(st, copy));
                Time("safetensors load", () =>
                {
                    foreach (var t in SafeTensors.Load(st).Values)
                        t.Dispose();
                });
                Time(".pt save", () => PyTorchFiles.Save(pt, state));
                Time(".pt load", () =>
                {
                    foreach (var t in PyTorchFiles.Load(pt).Values)
                        t.Dispose();
                });
                if (pythonUsable && RunPython(python, script, folder) is { } reference)
                {
                    times["torch.save"].Add(reference.Save);
                    times["torch.load"].Add(reference.Load);
                }
                if (round == -1)
                    foreach (var list in times.Values)
                        list.Clear();
            }

            var medians = times.ToDictionary(kv => kv.Key, kv => kv.Value.Count > 0 ? Statistics.Median(kv.Value) : (double?)null);
            var copyS = medians["file copy"]!.Value;
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine($"{"contender",-18} {"seconds",9} {"MB/s",8} {"÷ copy",8}");
            foreach (var name in names)
            {
                var s = medians[name];
                Console.WriteLine(string.Format(c, "{0,-18} {1,9} {2,8} {3,8}", name, s is { } v ? v.ToString("F4", c) : "na",
                    s is { } w ? (megabytes / w).ToString("F0", c) : "na", s is { } x ? (x / copyS).ToString("F2", c) : "na"));
            }
            string F(string name) => medians[name] is { } v ? v.ToString("F4", c) : "na";
            if (medians["torch.save"] is { } ts && medians["torch.load"] is { } tl)
                Console.WriteLine(string.Format(c, "ratios: safetensors save ÷ torch.save {0:F2}, safetensors load ÷ torch.load {1:F2}",
                    medians["safetensors save"]!.Value / ts, medians["safetensors load"]!.Value / tl));
            Console.WriteLine($"checkpoint: save_s={F("safetensors save")} load_s={F("safetensors load")} copy_s={F("file copy")} torch_save_s={F("torch.save")} torch_load_s={F("torch.load")}");
            foreach (var t in state.Values)
                t.Dispose();
            return 0;
        }
        finally
        {
            if (folderOption is null)
                Directory.Delete(folder, recursive: true);
        }
    }

    // Writes made earlier in a round leave dirty pages whose write-back throttles whoever writes next; flushing them
    // before each timed operation keeps the order of the contenders from deciding their times.
    private static void Sync()
    {
        if (OperatingSystem.IsLinux())
            sync();
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern void sync();

    private static (double Save, double Load)? RunPython(string python, string script, string folder)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "--folder", folder, "--tensors", $"{Tensors}", "--rows", $"{Rows}", "--cols", $"{Cols}" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("torch_save_s=", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"pytorch reference failed ({process.ExitCode}): {stderr.Trim()}");
            return null;
        }
        var fields = line.Split(' ').Select(f => double.Parse(f[(f.IndexOf('=') + 1)..], CultureInfo.InvariantCulture)).ToArray();
        return (fields[0], fields[1]);
    }
}

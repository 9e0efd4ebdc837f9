using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using GenNet.Optim;
using GenNet.Samples.Data;
using GenNet.Training;
using TorchSharp;
using static GenNet.Samples.Benchmarks.Statistics;
using static TorchSharp.torch;

namespace GenNet.Samples.Benchmarks;

/// <summary>
/// <c>bench train</c>: one epoch (train 60k + validate 10k, batch 50, 2 threads) of the lesson's MLP with GenNet's
/// <see cref="Learner"/> (metrics and progress, output redirected; and drawing its bar to a pseudo-terminal), a plain TorchSharp hand loop, and PyTorch's hand loop (reference/train_bench.py), interleaved
/// round by round; medians after a warm-up epoch.
/// </summary>
internal static class TrainBench
{
    private const int BatchSize = 50;
    private const double Lr = 0.1;

    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Timed epochs per contender (median reported).", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for libtorch on both sides.", DefaultValueFactory = _ => 2 };
        var data = new Option<string?>("--data") { Description = "Fashion-MNIST folder (default: as the main job)." };
        var python = new Option<string>("--python") { Description = "Python with torch for the reference.", DefaultValueFactory = _ => PythonReference.Interpreter };
        var command = new Command("train", "Epoch time: GenNet Learner vs a plain TorchSharp loop vs PyTorch.");
        foreach (var option in new Option[] { rounds, threads, data, python })
            command.Options.Add(option);
        command.SetAction(r => Run(Math.Max(1, r.GetValue(rounds)), r.GetValue(threads), r.GetValue(data), r.GetValue(python)!));
        return command;
    }

    private static int Run(int rounds, int threads, string? dataOption, string python)
    {
        Native.TorchNative.EnsureLoaded();
        var folder = FashionMnistSource.Locate(dataOption);
        if (folder is null)
        {
            Console.Error.WriteLine($"error: {FashionMnistSource.HowToGetTheData}");
            return 3;
        }
        torch.set_num_threads(threads);
        var data = FashionMnistSource.Load(folder);
        var pythonScript = Path.Combine(AppContext.BaseDirectory, "Benchmarks", "reference", "train_bench.py");
        var pythonUsable = File.Exists(python) && File.Exists(pythonScript) && PythonReference.HasTorch(python);
        Console.WriteLine($"bench train: Fashion-MNIST from {folder}; MLP 784-50-ReLU-10, SGD lr {Lr}, batch {BatchSize} (valid {2 * BatchSize}), {threads} threads, {rounds} rounds after 1 warm-up epoch");
        Console.WriteLine("note: the machine is shared; compare the ratios measured in this run, not absolute times across runs.");

        // The learner as users run it: metrics and the progress callback, here with output redirected to a file
        // (plain lines); the same learner drawing its bar to a pseudo-terminal is the gennet_tty column.
        var redirectedPath = Path.Combine(Path.GetTempPath(), $"gennet-bench-train-{Environment.ProcessId}.log");
        using var redirected = new StreamWriter(redirectedPath);
        using var pty = PseudoTerminal.TryOpen(out var noPty);
        var gennet = new GenNetContender(data, flat: false, redirected, showBar: false);
        var gennetTty = pty is null ? null : new GenNetContender(data, flat: false, pty.Writer, showBar: true);
        // A second, identical redirected learner: how far two equal contenders drift apart in this run is the noise
        // floor against which gennet_tty/gennet must be read.
        var gennetTwin = new GenNetContender(data, flat: false, redirected, showBar: false);
        var gennetFlat = new GenNetContender(data, flat: true, redirected, showBar: false);
        var handLoop = new HandLoopContender(data);
        gennet.Epoch();
        gennetTty?.Epoch();
        gennetTwin.Epoch();
        gennetFlat.Epoch();
        handLoop.Epoch();

        var times = new Dictionary<string, List<double>> { ["gennet"] = new(), ["gennet_tty"] = new(), ["gennet_flat"] = new(), ["torchsharp"] = new(), ["pytorch"] = new() };
        var ratios = new Dictionary<string, List<double>>
        {
            ["gennet/torchsharp"] = new(), ["gennet/pytorch"] = new(), ["tty/redirected"] = new(), ["flat/gennet"] = new(),
            ["cpu gennet/torchsharp"] = new(), ["cpu tty/redirected"] = new(),
            ["progress share redirected"] = new(), ["progress share tty"] = new(), ["twin/gennet"] = new(),
        };
        string? blas = null;
        Console.WriteLine($"{"round",5} {"gennet",9} {"gennet_tty",11} {"gennet_flat",12} {"torchsharp",11} {"pytorch",9}");
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate which of the two progress variants goes first, so neither always follows the same contender.
            (double Wall, double Cpu) g, tty = (double.NaN, double.NaN);
            if (round % 2 == 1)
            {
                g = Time(gennet.Epoch);
                if (gennetTty is not null) tty = Time(gennetTty.Epoch);
            }
            else
            {
                if (gennetTty is not null) tty = Time(gennetTty.Epoch);
                g = Time(gennet.Epoch);
            }
            var twin = Time(gennetTwin.Epoch);
            ratios["twin/gennet"].Add(twin.Wall / g.Wall);
            var t = Time(handLoop.Epoch);
            var gf = Time(gennetFlat.Epoch);
            times["gennet"].Add(g.Wall);
            times["torchsharp"].Add(t.Wall);
            times["gennet_flat"].Add(gf.Wall);
            ratios["gennet/torchsharp"].Add(g.Wall / t.Wall);
            ratios["flat/gennet"].Add(gf.Wall / g.Wall);
            ratios["cpu gennet/torchsharp"].Add(g.Cpu / t.Cpu);
            ratios["progress share redirected"].Add(gennet.LastProgressSeconds / g.Wall);
            if (gennetTty is not null)
            {
                times["gennet_tty"].Add(tty.Wall);
                ratios["tty/redirected"].Add(tty.Wall / g.Wall);
                ratios["cpu tty/redirected"].Add(tty.Cpu / g.Cpu);
                ratios["progress share tty"].Add(gennetTty!.LastProgressSeconds / tty.Wall);
            }
            double? py = null;
            if (pythonUsable)
            {
                (py, var info) = RunPython(python, pythonScript, folder, threads);
                blas ??= info;
                if (py is { } s)
                {
                    times["pytorch"].Add(s);
                    ratios["gennet/pytorch"].Add(g.Wall / s);
                }
            }
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,5} {1,9:F3} {2,11} {3,12:F3} {4,11:F3} {5,9}",
                round, g.Wall, gennetTty is null ? "na" : tty.Wall.ToString("F3", CultureInfo.InvariantCulture), gf.Wall, t.Wall, Format(py)));
        }
        redirected.Flush();

        var c = CultureInfo.InvariantCulture;
        string MedianOf(string key, string format = "F2") => ratios[key].Count > 0 ? Median(ratios[key]).ToString(format, c) : "na";
        string MedianPercent(string key) => ratios[key].Count > 0 ? (100 * Median(ratios[key])).ToString("F2", c) + "%" : "na";
        double? MedianTime(string key) => times[key].Count > 0 ? Median(times[key]) : null;
        Console.WriteLine(string.Format(c, "median epoch s: gennet {0}  gennet_tty {1}  gennet_flat {2}  torchsharp {3}  pytorch {4}",
            Format(MedianTime("gennet")), Format(MedianTime("gennet_tty")), Format(MedianTime("gennet_flat")), Format(MedianTime("torchsharp")), Format(MedianTime("pytorch"))));
        Console.WriteLine($"ratios (medians of per-round ratios): gennet/torchsharp {MedianOf("gennet/torchsharp")} (goal ≤ 1.00)  gennet/pytorch {MedianOf("gennet/pytorch")} (goal ≤ 1.00)  " +
                          $"gennet_tty/gennet {MedianOf("tty/redirected", "F3")} (goal within 0.98–1.02; noise floor: an identical twin learner gives {MedianOf("twin/gennet", "F3")})  gennet_flat/gennet {MedianOf("flat/gennet")}");
        // Process CPU time is much less disturbed by other programs on a shared machine than wall time.
        Console.WriteLine($"cpu-time ratios (process user+system, medians of per-round ratios): gennet/torchsharp {MedianOf("cpu gennet/torchsharp")}  gennet_tty/gennet {MedianOf("cpu tty/redirected", "F3")}");
        Console.WriteLine($"time inside ProgressCallback per epoch (median share of the epoch's wall time): redirected {MedianPercent("progress share redirected")}  pseudo-terminal bar {MedianPercent("progress share tty")} (goal ≤ 2%)");
        Console.WriteLine(pty is null
            ? $"progress: gennet_tty na ({noPty})"
            : $"progress: gennet and gennet_flat write plain lines to {redirectedPath} ({new FileInfo(redirectedPath).Length} bytes); gennet_tty drew its bar and table to a pseudo-terminal ({pty.BytesRead} bytes read back)");
        Console.WriteLine(string.Format(c, "valid accuracy after {0} epochs: gennet {1:F4}  torchsharp {2:F4}", rounds + 1, gennet.LastAccuracy, handLoop.LastAccuracy));
        Console.WriteLine(pythonUsable ? $"pytorch: {blas}" : $"pytorch: na ({python} with torch not found; apt-get install -y python3-torch libopenblas0-openmp)");
        Console.WriteLine(string.Format(c, "train: gennet_epoch_s={0} torchsharp_epoch_s={1} pytorch_epoch_s={2} gennet_over_torchsharp={3} gennet_over_pytorch={4} tty_over_redirected={5} bar_share={6}",
            Format(MedianTime("gennet")), Format(MedianTime("torchsharp")), Format(MedianTime("pytorch")), MedianOf("gennet/torchsharp"), MedianOf("gennet/pytorch"), MedianOf("tty/redirected", "F3"), MedianPercent("progress share tty")));
        redirected.Close();
        File.Delete(redirectedPath);
        return 0;
    }

    private static (double Wall, double Cpu) Time(Func<double> epoch)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = epoch();
        return (wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static string Format(double? seconds) => seconds is { } s ? s.ToString("F3", CultureInfo.InvariantCulture) : "na";

    // A fresh process per round keeps the rounds interleaved; the script runs its own warm-up epoch first.
    private static (double? Seconds, string? Info) RunPython(string python, string script, string folder, int threads)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "--data", folder, "--epochs", "1", "--warmup", "1", "--threads", threads.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"pytorch reference failed ({process.ExitCode}): {stderr.Trim()}");
            return (null, null);
        }
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var epoch = lines.LastOrDefault(l => l.StartsWith("epoch_s=", StringComparison.Ordinal));
        var seconds = epoch is null ? (double?)null : double.Parse(epoch.Split(' ')[0]["epoch_s=".Length..], CultureInfo.InvariantCulture);
        return (seconds, lines.FirstOrDefault(l => l.StartsWith("blas=", StringComparison.Ordinal)));
    }

    /// <summary>GenNet: <see cref="TrainingLoop.GetDls"/> + <see cref="Learner"/> with loss and accuracy metrics and progress.</summary>
    private sealed class GenNetContender
    {
        private readonly Learner _learner;
        private readonly MetricsCallback _metrics = new(new AccuracyMetric());
        private readonly Timed _progress;

        public GenNetContender(FashionMnist data, bool flat, TextWriter progressOutput, bool showBar)
        {
            torch.manual_seed(42);
            var (train, valid) = TrainingLoop.GetDls((data.TrainX, data.TrainY), (data.ValidX, data.ValidY), BatchSize, seed: 42);
            _progress = new Timed(new ProgressCallback(progressOutput, showBar));
            _learner = new Learner(new Mlp(), train, valid, nn.CrossEntropyLoss(),
                ps => new Sgd(ps, Lr, flat: flat), new Callback[] { _metrics, _progress }, CPU);
        }

        public double LastAccuracy => _learner.History[^1].ValidAccuracy;

        /// <summary>Seconds spent inside the progress callback during the last epoch (drawing, writing, reading the loss).</summary>
        public double LastProgressSeconds { get; private set; }

        public double Epoch()
        {
            var before = _progress.Seconds;
            var clock = Stopwatch.StartNew();
            _learner.Fit(1);
            var seconds = clock.Elapsed.TotalSeconds;
            LastProgressSeconds = _progress.Seconds - before;
            return seconds;
        }
    }

    /// <summary>
    /// Runs a callback and adds up the time spent in it: the progress bar's own cost as a share of the same epoch, a
    /// figure other programs on a shared machine disturb far less than the difference of two epochs' wall times.
    /// </summary>
    private sealed class Timed(Callback inner) : Callback
    {
        private long _ticks;

        public double Seconds => (double)_ticks / Stopwatch.Frequency;
        public override int Order => inner.Order;

        private void T(Action<Learner> hook, Learner l)
        {
            var start = Stopwatch.GetTimestamp();
            hook(l);
            _ticks += Stopwatch.GetTimestamp() - start;
        }

        public override void BeforeFit(Learner l) => T(inner.BeforeFit, l);
        public override void AfterFit(Learner l) => T(inner.AfterFit, l);
        public override void BeforeEpoch(Learner l) => T(inner.BeforeEpoch, l);
        public override void AfterEpoch(Learner l) => T(inner.AfterEpoch, l);
        public override void BeforeTrain(Learner l) => T(inner.BeforeTrain, l);
        public override void BeforeValidate(Learner l) => T(inner.BeforeValidate, l);
        public override void AfterLoss(Learner l) => T(inner.AfterLoss, l);
        public override void AfterBatch(Learner l) => T(inner.AfterBatch, l);
    }

    /// <summary>The plain TorchSharp loop a user would write: randperm + index_select, one dispose scope per batch.</summary>
    private sealed class HandLoopContender
    {
        private readonly FashionMnist _data;
        private readonly Mlp _model;
        private readonly torch.optim.Optimizer _opt;

        public HandLoopContender(FashionMnist data)
        {
            _data = data;
            torch.manual_seed(42);
            _model = new Mlp();
            _opt = torch.optim.SGD(_model.parameters(), Lr);
        }

        public double LastAccuracy { get; private set; }

        public double Epoch()
        {
            var clock = Stopwatch.StartNew();
            var n = _data.TrainX.shape[0];
            _model.train();
            using (var perm = randperm(n))
            {
                for (long i = 0; i < n; i += BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var idx = perm.narrow(0, i, Math.Min(BatchSize, n - i));
                    var xb = _data.TrainX.index_select(0, idx);
                    var yb = _data.TrainY.index_select(0, idx);
                    var loss = nn.functional.cross_entropy(_model.call(xb), yb);
                    loss.backward();
                    _opt.step();
                    _opt.zero_grad();
                }
            }
            _model.eval();
            double totalLoss = 0, totalCorrect = 0;
            long count = 0;
            using (no_grad())
            {
                var m = _data.ValidX.shape[0];
                for (long i = 0; i < m; i += 2 * BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var len = Math.Min(2 * BatchSize, m - i);
                    var xb = _data.ValidX.narrow(0, i, len);
                    var yb = _data.ValidY.narrow(0, i, len);
                    var preds = _model.call(xb);
                    totalLoss += nn.functional.cross_entropy(preds, yb).item<float>() * len;
                    totalCorrect += preds.argmax(1).eq(yb).sum().item<long>();
                    count += len;
                }
            }
            LastAccuracy = totalCorrect / count;
            return clock.Elapsed.TotalSeconds;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using GenNet.Serialization;
using GenNet.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Samples;

/// <summary>
/// The main job's files as a user meets them: --output errors before training, runs that never overwrite each other,
/// Ctrl-C (a real SIGINT to the child process) that saves a checkpoint, --resume that continues bit-exactly, and a
/// model.safetensors that Debian's PyTorch loads into the lesson's MLP with strict=True.
/// </summary>
public sealed class MainJobCheckpointTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(6);
    private static readonly Lazy<string> Built = new(Build);
    private readonly string _folder = Directory.CreateTempSubdirectory("gennet-mainjob-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Build()
    {
        var repo = ProcessRunner.RepositoryRoot();
        var build = ProcessRunner.Run("dotnet", new[] { "build", "GenNet.Samples", "-c", "Release" }, repo, Limit);
        Assert.True(build.ExitCode == 0, build.Output);
        return Path.Combine(repo, "GenNet.Samples", "bin", "Release", "net10.0", "GenNet.Samples.dll");
    }

    private ProcessResult Job(params string[] arguments) =>
        ProcessRunner.Run("dotnet", new[] { Built.Value }.Concat(arguments), _folder, Limit);

    private static string LastLine(string text) => text.TrimEnd().Split('\n').Last().TrimEnd('\r');

    [Fact]
    public void AnOutputThatIsAFileOrCannotBeWrittenIsAOneLineErrorBeforeTraining()
    {
        var file = Path.Combine(_folder, "taken.txt");
        File.WriteAllText(file, "mine");
        var onFile = Job("--epochs", "1", "--output", file);
        Assert.Equal(2, onFile.ExitCode);
        Assert.Equal($"error: --output '{file}' is an existing file; give a folder.", onFile.StandardError.Trim());
        Assert.DoesNotContain("epoch", onFile.StandardOutput);
        Assert.Equal("mine", File.ReadAllText(file));

        // /proc refuses new entries even to root, so this holds on CI machines that run as root.
        var unwritable = Job("--epochs", "1", "--output", "/proc/gennet-cannot-write-here");
        Assert.Equal(2, unwritable.ExitCode);
        var error = unwritable.StandardError.Trim();
        Assert.Single(error.Split('\n'));
        Assert.StartsWith("error: --output '/proc/gennet-cannot-write-here' cannot be written", error);
        Assert.DoesNotContain("epoch", unwritable.StandardOutput);

        var missing = Job("--epochs", "1", "--resume", Path.Combine(_folder, "nothing.safetensors"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("error: --resume: Safetensors file", missing.StandardError);
    }

    [Fact]
    public void CtrlCSavesACheckpointThatResumesBitExactlyIntoANewRunFolder()
    {
        var straight = Job("--epochs", "3", "--output", "straight");
        Assert.True(straight.ExitCode == 0, straight.Output);
        Assert.Equal($"saved: {Path.Combine(_folder, "straight", "model.safetensors")}, {Path.Combine(_folder, "straight", "checkpoint.safetensors")} and metrics.jsonl",
            straight.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith("saved: ", StringComparison.Ordinal)));

        var interrupted = RunAndInterrupt("--epochs", "3", "--output", "run");
        Assert.True(interrupted.ExitCode == 130, interrupted.Output);
        var checkpoint = Path.Combine(_folder, "run", "checkpoint.safetensors");
        // Usually mid-epoch; on a fast machine the signal may land in validation or a later epoch, which resumes as exactly.
        Assert.Matches($@"^interrupted: checkpoint saved to {System.Text.RegularExpressions.Regex.Escape(checkpoint)} \(epoch [123], batch \d+\); ", LastLine(interrupted.StandardOutput));
        Assert.EndsWith($"continue with --resume {checkpoint}", LastLine(interrupted.StandardOutput));
        var firstRun = File.ReadAllBytes(checkpoint);

        // Same --output again: the earlier run's files stay, the new run goes to run-2.
        var resumed = Job("--epochs", "3", "--resume", checkpoint, "--output", "run");
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains($"output: {Path.Combine(_folder, "run-2")} ({Path.Combine(_folder, "run")} holds an earlier run's files)", resumed.StandardOutput);
        Assert.Equal(firstRun, File.ReadAllBytes(checkpoint));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_folder, "straight", "model.safetensors")), File.ReadAllBytes(Path.Combine(_folder, "run-2", "model.safetensors")));

        // The trained model in PyTorch: same outputs as in C#.
        using var scope = NewDisposeScope();
        var mlp = new GenNet.Tests.Module.Mlp(784, 50, 10);
        Assert.True(mlp.LoadSafeTensors(Path.Combine(_folder, "run-2", "model.safetensors")).AllMatched);
        mlp.to(ScalarType.Float64).eval(); // as the Python side: float64 compares the weights, not BLAS rounding
        var x = rand(5, 784, dtype: ScalarType.Float64);
        SafeTensors.Save(Path.Combine(_folder, "mlp.input.safetensors"), new Dictionary<string, Tensor> { ["input"] = x });
        var script = Path.Combine(ProcessRunner.RepositoryRoot(), "GenNet.Tests", "Serialization", "reference", "interop.py");
        var python = ProcessRunner.Run("/usr/bin/python3", new[] { script, "main-job", Path.Combine(_folder, "run-2", "model.safetensors"), _folder }, _folder, Limit);
        Assert.True(python.ExitCode == 0, python.Output);
        Assert.Contains("main_job <All keys matched successfully>", python.StandardOutput);
        using (no_grad())
        {
            var difference = (mlp.call(x) - SafeTensors.Load(Path.Combine(_folder, "mlp.out_main.safetensors"))["output"]).abs().max().item<double>();
            Assert.True(difference <= 1e-6, $"max difference {difference}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private ProcessResult RunAndInterrupt(params string[] arguments)
    {
        // `env --default-signal=INT` undoes an inherited "ignore SIGINT" (background jobs of non-interactive shells).
        var info = new ProcessStartInfo("env") { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--default-signal=INT", "dotnet", Built.Value }.Concat(arguments))
            info.ArgumentList.Add(a);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var started = new ManualResetEventSlim();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            if (e.Data.StartsWith("model on ", StringComparison.Ordinal)) started.Set();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Assert.True(started.Wait(Limit), $"training never started\n{stdout}\n{stderr}");
            Thread.Sleep(300); // a few hundred batches into the first epoch
            Assert.Equal(0, kill(process.Id, 2));
            Assert.True(process.WaitForExit(Limit), "the job did not stop after SIGINT");
            process.WaitForExit();
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        return new ProcessResult("env dotnet GenNet.Samples.dll " + string.Join(' ', arguments), process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}

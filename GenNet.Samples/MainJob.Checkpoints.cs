using System;
using System.Collections;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using GenNet.Data;
using GenNet.Serialization;
using GenNet.Training;
using static TorchSharp.torch;

namespace GenNet.Samples;

/// <summary>
/// The main job's files and interruptions: <c>--output</c> gets <c>model.safetensors</c> (PyTorch names, loads in Python
/// with <c>strict=True</c>) and <c>checkpoint.safetensors</c> (weights, optimizer, position); <c>--resume</c> continues
/// from a checkpoint bit-exactly; Ctrl-C finishes the batch, saves a checkpoint and exits with 130.
/// </summary>
internal static partial class MainJob
{
    private const int InterruptedExitCode = 130;

    private static readonly Option<string?> ResumeOption = new("--resume")
    {
        Description = "Continue training from a checkpoint.safetensors written by an earlier run (--epochs counts all epochs, the earlier ones included).",
    };

    private const string OutputDescription =
        "Folder for model.safetensors, checkpoint.safetensors, metrics.jsonl, samples.png and loss.png (default: gennet-out). A folder that already holds files is never " +
        "overwritten: the run writes to the next free numbered folder beside it (out-2, out-3, ...). Ctrl-C saves a checkpoint there.";

    private sealed partial record Settings
    {
        public string? Resume { get; init; }
    }

    private static Settings ReadCheckpointOptions(ParseResult result, Settings settings) => settings with { Resume = result.GetValue(ResumeOption) };

    /// <summary>
    /// Checks <c>--output</c> and <c>--resume</c> before any data is loaded: an output that is a file or cannot be
    /// written, or a resume file that is missing or no checkpoint, is a one-line error (exit 2). A non-empty output
    /// folder is replaced by the next free numbered sibling, so an earlier run's files are never overwritten.
    /// </summary>
    private static int? PrepareCheckpoints(ref Settings settings)
    {
        if (settings.Resume is { } resume)
        {
            var full = Path.GetFullPath(resume);
            if (Directory.Exists(full) && File.Exists(Path.Combine(full, "checkpoint.safetensors")))
                full = Path.Combine(full, "checkpoint.safetensors");
            try
            {
                var header = SafeTensors.ReadHeader(full);
                if (!header.Metadata.TryGetValue("format", out var format) || format != Checkpoint.FormatName)
                    return Fail($"--resume '{full}' is a safetensors file but not a GenNet checkpoint (use the checkpoint.safetensors of a run).");
                if (header.Metadata.TryGetValue("epoch", out var epoch) && int.TryParse(epoch, out var e) && e >= settings.Epochs)
                    return Fail($"--resume '{full}' is at epoch {e} and --epochs is {settings.Epochs}: nothing left to train (raise --epochs).");
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return Fail($"--resume: {ex.Message}");
            }
            settings = settings with { Resume = full };
        }
        if (settings.Output is null)
            return null;
        var (folder, error) = ResolveOutput(settings.Output);
        if (error is not null)
            return Fail(error);
        if (folder != Path.GetFullPath(settings.Output))
            Console.WriteLine($"output: {folder} ({Path.GetFullPath(settings.Output)} holds an earlier run's files)");
        settings = settings with { Output = folder };
        return null;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }

    private static (string Folder, string? Error) ResolveOutput(string output)
    {
        var full = Path.GetFullPath(output).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(full))
            return (full, $"--output '{full}' is an existing file; give a folder.");
        var folder = full;
        for (var n = 2; Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any(); n++)
        {
            folder = $"{full}-{n}";
            if (File.Exists(folder))
                return (full, $"--output: '{folder}', the next numbered folder for this run, is an existing file.");
        }
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".gennet-write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, Array.Empty<byte>());
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (full, $"--output '{folder}' cannot be written ({e.Message}).");
        }
        return (folder, null);
    }

    /// <summary>What <see cref="StartCheckpoints"/> set up; <see cref="FinishCheckpoints"/> ends it.</summary>
    private sealed class CheckpointSession(CancellationTokenSource stop, PosixSignalRegistration? signal, StopAfterBatchCallback stopper, int startEpoch) : IDisposable
    {
        public CancellationTokenSource Stop { get; } = stop;
        public StopAfterBatchCallback Stopper { get; } = stopper;
        public int StartEpoch { get; } = startEpoch;

        public void Dispose()
        {
            signal?.Dispose();
            Stop.Dispose();
        }
    }

    /// <summary>
    /// Restores <c>--resume</c>'s state into the learner and the loader, and turns Ctrl-C into a clean stop; false
    /// (after printing the error) when the checkpoint does not fit this model and optimizer.
    /// </summary>
    private static bool TryStartCheckpoints(Settings settings, Learner learner, DataLoader<(Tensor X, Tensor Y)> trainDl, out CheckpointSession session)
    {
        session = null!;
        var startEpoch = 0;
        if (settings.Resume is { } resume)
        {
            TrainingPosition? saved;
            try
            {
                // Restores the generator too, so that shuffling and any dropout draw what the interrupted run would have.
                saved = Checkpoint.Load(resume, learner.Model, learner.Optimizer, restoreRandomState: true);
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
            {
                Fail($"--resume: {e.Message}");
                return false;
            }
            if (saved is not { } position)
            {
                Fail($"--resume: checkpoint '{resume}' has no training position.");
                return false;
            }
            startEpoch = position.Epoch;
            learner.TrainingSteps = position.Step;
            if (trainDl is DatasetLoader<(Tensor X, Tensor Y), (Tensor X, Tensor Y)> { Sampler: RandomSampler sampler })
                sampler.Epoch = position.Epoch;
            if (position.Batch > 0)
                learner.TrainData = new SkipFirstBatches(trainDl, position.Batch);
            Console.WriteLine($"resume: {resume} at epoch {position.Epoch + 1}, batch {position.Batch}, step {position.Step}");
        }
        var stop = new CancellationTokenSource();
        PosixSignalRegistration? signal = null;
        try
        {
            signal = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                if (stop.IsCancellationRequested)
                    return; // a second Ctrl-C ends the process at once
                context.Cancel = true;
                stop.Cancel();
                Console.Error.WriteLine("interrupt: finishing the current batch, then saving a checkpoint (Ctrl-C again to quit at once)");
            });
        }
        catch (PlatformNotSupportedException)
        {
            // No SIGINT here (browser/mobile targets): Ctrl-C keeps its default behaviour.
        }
        var stopper = new StopAfterBatchCallback(stop.Token);
        learner.Add(stopper);
        session = new CheckpointSession(stop, signal, stopper, startEpoch);
        return true;
    }

    /// <summary>Saves the run's files; returns 130 when the run was interrupted, else null.</summary>
    private static int? FinishCheckpoints(CheckpointSession session, Settings settings, Learner learner)
    {
        using (session)
        {
            var stoppedAt = session.Stopper.StoppedAt;
            if (settings.Output is null && stoppedAt is null)
                return null;
            var (folder, error) = settings.Output is { } output ? (output, null) : ResolveOutput(DefaultOutputFolder);
            if (error is not null)
            {
                Console.Error.WriteLine($"error: the interrupted run's checkpoint could not be saved: {error}");
                return 1;
            }
            var position = stoppedAt ?? new TrainingPosition(settings.Epochs, 0, learner.TrainingSteps);
            var checkpoint = Path.Combine(folder, "checkpoint.safetensors");
            Checkpoint.Save(checkpoint, learner.Model, learner.Optimizer, position);
            learner.Model.SaveSafeTensors(Path.Combine(folder, "model.safetensors"));
            if (stoppedAt is not null)
            {
                Console.WriteLine($"interrupted: checkpoint saved to {checkpoint} (epoch {stoppedAt.Epoch + 1}, batch {stoppedAt.Batch}); continue with --resume {checkpoint}");
                return InterruptedExitCode;
            }
            Console.WriteLine($"saved: {Path.Combine(folder, "model.safetensors")}, {checkpoint} and metrics.jsonl");
            return null;
        }
    }

    /// <summary>The loader, less the first batches of its next epoch (those a resumed checkpoint had already trained on).</summary>
    private sealed class SkipFirstBatches(DataLoader<(Tensor X, Tensor Y)> inner, int skip) : IReadOnlyCollection<(Tensor x, Tensor y)>
    {
        private int _pending = skip;

        public int Count => Math.Max(0, inner.Count - _pending);

        public IEnumerator<(Tensor x, Tensor y)> GetEnumerator()
        {
            var toSkip = Interlocked.Exchange(ref _pending, 0);
            foreach (var (x, y) in inner)
            {
                if (toSkip > 0)
                {
                    toSkip--;
                    x.Dispose();
                    y.Dispose();
                    continue;
                }
                yield return (x, y);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

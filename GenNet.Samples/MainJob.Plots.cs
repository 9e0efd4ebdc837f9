using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using GenNet.Imaging;
using GenNet.Plotting;
using GenNet.Training;
using static TorchSharp.torch;

namespace GenNet.Samples;

/// <summary>The main job's pictures: <c>samples.png</c> before training and <c>loss.png</c> after, in the output folder.</summary>
internal static partial class MainJob
{
    /// <summary>Where the main job writes when <c>--output</c> is not given, relative to the current folder.</summary>
    internal const string DefaultOutputFolder = "gennet-out";

    /// <summary>
    /// Writes <c>samples.png</c>: up to 16 training images in a grid, each titled with its class name (the lesson's
    /// <c>show_images(xb[:16], imsize=1.7, titles=…)</c>, 680 × 680 pixels for 16).
    /// </summary>
    /// <param name="folder">The output folder (created if missing).</param>
    /// <param name="images">The images, as the dataset decodes them.</param>
    /// <param name="titles">Each image's class name (the dataset's <c>ClassLabel.Int2Str</c>).</param>
    /// <returns>The file's full path.</returns>
    internal static string WriteSamples(string folder, IReadOnlyList<Image8> images, IReadOnlyList<string> titles)
    {
        // As the lesson's notebook sets rcParams['image.cmap'] = 'gray' before showing the data.
        Colormap.Default = Colormap.Gray;
        return Plot.ShowImages(images.ToList(), imsize: 1.7, titles: titles.ToArray()).SavePng(Path.Combine(folder, "samples.png"));
    }

    /// <summary>Writes <c>loss.png</c>: training and validation loss per epoch, with a legend.</summary>
    /// <param name="folder">The output folder (created if missing).</param>
    /// <param name="history">The learner's per-epoch results.</param>
    /// <returns>The file's full path.</returns>
    internal static string WriteLossCurves(string folder, IReadOnlyList<EpochResult> history)
    {
        double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
        var figure = Figure.Create(figsize: (6.4, 4.8));
        var ax = figure.Axes[0]
            .Plot(epochs, history.Select(e => e.TrainLoss).ToArray(), label: "train", markers: true)
            .Plot(epochs, history.Select(e => e.ValidLoss).ToArray(), label: "valid", markers: true)
            .SetXLabel("epoch").SetYLabel("loss (cross-entropy)").SetTitle("Fashion-MNIST MLP").Legend();
        if (epochs.Length <= 12)
            ax.SetXTicks(epochs); // whole epochs rather than 1.25, 1.5, …
        return figure.SavePng(Path.Combine(folder, "loss.png"));
    }

    /// <summary>Writes <c>loss.png</c> next to <c>samples.png</c> and prints where the outputs are.</summary>
    private static void FinishOutputs(string folder, IReadOnlyList<EpochResult> history)
    {
        WriteLossCurves(folder, history);
        var files = new[] { "model.safetensors", "checkpoint.safetensors", "metrics.jsonl", "samples.png", "loss.png" }.Where(f => File.Exists(Path.Combine(folder, f)));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "output: {0} ({1})", Path.GetFullPath(folder), string.Join(", ", files)));
    }
}

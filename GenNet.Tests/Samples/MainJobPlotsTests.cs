using System;
using System.IO;
using System.Linq;
using GenNet.Imaging;
using GenNet.Plotting;
using GenNet.Tests.Support;
using Xunit;

namespace GenNet.Tests.Samples;

/// <summary>
/// The main job run as a user runs it, from a fresh folder without <c>--output</c>: it writes into
/// <c>gennet-out/</c> there, and its <c>samples.png</c> and <c>loss.png</c> are decoded and inspected.
/// </summary>
public sealed class MainJobPlotsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    [Fact]
    public void TheMainJobLeavesSamplesAndLossPicturesInGennetOut()
    {
        var repo = ProcessRunner.RepositoryRoot();
        var work = Path.Combine(Path.GetTempPath(), "gennet-mainjob-plots-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var run = ProcessRunner.Run("dotnet",
                new[] { "run", "--project", Path.Combine(repo, "GenNet.Samples"), "-c", "Release", "--", "--epochs", "2" }, work, Limit);
            Assert.True(run.ExitCode == 0, run.Output);
            var output = Path.Combine(work, "gennet-out");
            Assert.Contains($"output: {output} (model.safetensors, checkpoint.safetensors, metrics.jsonl, samples.png, loss.png)", run.StandardOutput);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(output, "metrics.jsonl")).Length);

            // samples.png: show_images(xb[:16], imsize=1.7, titles=…): 680 × 680, 16 grey images, each under a title.
            var samples = Png.Decode(File.ReadAllBytes(Path.Combine(output, "samples.png")), 4);
            Assert.Equal((680, 680), (samples.Width, samples.Height));
            var layout = Plot.GetGrid(16, imsize: 1.7);
            foreach (var ax in layout.Axes)
                Plot.ShowImage(new float[28, 28], ax);
            var distinct = new System.Collections.Generic.HashSet<byte>();
            foreach (var ax in layout.Axes)
            {
                var box = ax.GetPixelBox();
                for (var y = (int)box.Top + 2; y < (int)box.Bottom - 2; y += 3)
                    for (var x = (int)box.Left + 2; x < (int)box.Right - 2; x += 3)
                    {
                        var i = (y * samples.Width + x) * 4;
                        Assert.True(samples.Pixels[i] == samples.Pixels[i + 1] && samples.Pixels[i + 1] == samples.Pixels[i + 2],
                            $"pixel ({x}, {y}) in cell {ax.Row},{ax.Column} is not grey");
                        distinct.Add(samples.Pixels[i]);
                    }
                var titleInk = 0;
                for (var y = (int)box.Top - 20; y < (int)box.Top - 1; y++)
                    for (var x = (int)box.Left; x < (int)box.Right; x++)
                        if (samples.Pixels[(y * samples.Width + x) * 4] < 128) titleInk++;
                Assert.True(titleInk > 20, $"cell {ax.Row},{ax.Column} has no title ({titleInk} dark pixels above it)");
            }
            Assert.True(distinct.Count > 100, $"only {distinct.Count} grey levels: not real images");

            // loss.png: two curves in the default colours C0 (train) and C1 (valid).
            var loss = Png.Decode(File.ReadAllBytes(Path.Combine(output, "loss.png")), 4);
            Assert.Equal((640, 480), (loss.Width, loss.Height));
            int Count(byte r, byte g, byte b) => Enumerable.Range(0, loss.Width * loss.Height)
                .Count(p => loss.Pixels[4 * p] == r && loss.Pixels[4 * p + 1] == g && loss.Pixels[4 * p + 2] == b);
            Assert.True(Count(0x1f, 0x77, 0xb4) > 100, "no train curve");
            Assert.True(Count(0xff, 0x7f, 0x0e) > 100, "no valid curve");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void TheLessonPlottingStepWritesEachCellsPng()
    {
        var repo = ProcessRunner.RepositoryRoot();
        var work = Path.Combine(Path.GetTempPath(), "gennet-lesson-plots-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = ProcessRunner.Run("dotnet",
                new[] { "run", "--project", Path.Combine(repo, "GenNet.Samples"), "-c", "Release", "--", "lesson", "plotting", "--output", work }, repo, Limit);
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("grid: 3×3, empty axes turned off: 1", run.StandardOutput);
            Assert.Contains("ShowImage(image, ax, figsize, title, noFrame, cmap, vmin, vmax, interpolation, aspect, alpha)", run.StandardOutput);
            foreach (var (file, size) in new[] { ("1-show-image.png", 200), ("2-subplots.png", 600), ("3-get-grid.png", 450), ("4-show-images.png", 680) })
            {
                var image = Png.Decode(File.ReadAllBytes(Path.Combine(work, file)));
                Assert.Equal((size, size), (image.Width, image.Height));
            }
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }
}

using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Reflection;
using GenNet.Plotting;
using GenNet.Hub;
using GenNet.Imaging;
using static TorchSharp.torch;

namespace GenNet.Samples.Lesson;

/// <summary>
/// <c>lesson plotting</c>: the lesson's plotting cells (<c>show_image</c>, <c>subplots</c>, <c>get_grid</c>,
/// <c>show_images</c>) on Fashion-MNIST, each saved as a PNG, and the delegated signatures they gained.
/// </summary>
internal static class PlottingLesson
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder for the PNGs.", DefaultValueFactory = _ => Path.Combine(MainJob.DefaultOutputFolder, "lesson-plotting") };
        var command = new Command("plotting", "show_image, subplots, get_grid and show_images, written as PNG files.");
        command.Options.Add(output);
        command.SetAction(result => Run(result.GetValue(output)!));
        return command;
    }

    private static int Run(string folder)
    {
        DatasetDict dsd;
        try
        {
            dsd = MainJob.LoadBuilderOrRepositoryCopy("fashion_mnist").Load();
        }
        catch (Exception e) when (e is DatasetNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 3;
        }
        using var scope = NewDisposeScope();
        var train = dsd["train"];
        var (x, y) = train.Features;
        var featy = (ClassLabel)train.Features[y];
        var rows = Enumerable.Range(0, 16).Select(i => train[i]).ToList();
        // The lesson's xb: a batch of 16 images as a tensor, values in [0, 1].
        var xb = stack(rows.Select(row => row.Get<Image8>(x).ToTensor()).ToArray()).reshape(16, 28, 28);
        var titles = featy.Int2Str(rows.Select(row => Convert.ToInt64(row[y], System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        Colormap.Default = Colormap.Gray; // the notebook's mpl.rcParams['image.cmap'] = 'gray'

        Step("show_image(xb[0], figsize=(2, 2), title=…): one image, no ticks, no frame");
        Save(Plot.ShowImage(xb[0], figsize: (2, 2), title: titles[0]).Figure, folder, "1-show-image.png");

        Step("fig, axs = subplots(3, 3, imsize=2); show_image(im, ax) for each axes");
        var (figure, axes) = Plot.Subplots(3, 3, imsize: 2, suptitle: "subplots(3, 3)");
        foreach (var (ax, i) in axes.Select((ax, i) => (ax, i)))
            Plot.ShowImage(xb[i], ax);
        Save(figure, folder, "2-subplots.png");

        Step("get_grid(8, nrows=3, title=…): 3×3 axes for 8 images, the ninth turned off");
        var grid = Plot.GetGrid(8, nrows: 3, title: "get_grid(8, nrows=3)", imsize: 1.5);
        for (var i = 0; i < 8; i++)
            Plot.ShowImage(xb[i], grid.Axes[i], title: titles[i]);
        Console.WriteLine($"grid: {grid.Rows}×{grid.Columns}, empty axes turned off: {grid.Axes.Count(a => !a.HasContent && !a.AxisVisible)}");
        Save(grid, folder, "3-get-grid.png");

        Step("show_images(xb[:16], imsize=1.7, titles=…): the batch with its class names");
        Save(Plot.ShowImages(xb, imsize: 1.7, titles: titles), folder, "4-show-images.png");

        Step("What [Delegates] added (fastcore's signature, checked by the compiler)");
        foreach (var name in new[] { nameof(Plot.ShowImage), nameof(Plot.Subplots), nameof(Plot.GetGrid), nameof(Plot.ShowImages) })
        {
            var generated = typeof(Plot).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Where(m => m.Name == name).MaxBy(m => m.GetParameters().Length)!;
            Console.WriteLine($"{name}({string.Join(", ", generated.GetParameters().Select(p => p.Name))})");
        }
        return 0;
    }

    private static void Save(Figure figure, string folder, string file)
    {
        var path = figure.SavePng(Path.Combine(folder, file));
        var (width, height) = figure.PixelSize();
        Console.WriteLine($"wrote {path} ({width}×{height} px)");
    }

    private static void Step(string title) => Console.WriteLine($"{Environment.NewLine}## {title}");
}

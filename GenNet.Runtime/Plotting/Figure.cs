using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace GenNet.Plotting;

/// <summary>Font weight of a title.</summary>
public enum FontWeight
{
    /// <summary>Regular.</summary>
    Normal,
    /// <summary>Bold.</summary>
    Bold,
}

/// <summary>A rectangle in a saved image's pixels: x to the right, y down from the top-left corner.</summary>
/// <param name="Left">Left edge.</param>
/// <param name="Top">Top edge.</param>
/// <param name="Right">Right edge.</param>
/// <param name="Bottom">Bottom edge.</param>
public readonly record struct PixelBox(double Left, double Top, double Right, double Bottom)
{
    /// <summary>Right − Left.</summary>
    public double Width => Right - Left;

    /// <summary>Bottom − Top.</summary>
    public double Height => Bottom - Top;
}

/// <summary>
/// A figure: a page of <see cref="Width"/> × <see cref="Height"/> inches holding a grid of <see cref="Axes"/>, kept as
/// a description (nothing native) and drawn when saved, like a matplotlib figure. Saved at <c>dpi</c> dots per inch it
/// is <c>Width·dpi × Height·dpi</c> pixels, as <c>savefig</c> makes it.
/// </summary>
/// <remarks>
/// Layout follows matplotlib's defaults: axes cells from the subplot parameters (<c>left</c>, <c>right</c>,
/// <c>bottom</c>, <c>top</c> as fractions of the figure; <c>wspace</c>, <c>hspace</c> as fractions of a cell); an axes
/// showing an image with equal aspect shrinks to the image's shape, centred in its cell; sizes of text and lines in
/// points (1/72 inch), so they scale with dpi.
/// </remarks>
public sealed class Figure
{
    private readonly Axes[] _axes;

    private Figure(int nrows, int ncols, double width, double height, double dpi, string facecolor,
        double left, double right, double bottom, double top, double wspace, double hspace)
    {
        Rows = nrows;
        Columns = ncols;
        Width = width;
        Height = height;
        Dpi = dpi;
        FaceColor = PlotColors.Parse(facecolor, nameof(facecolor));
        // matplotlib's GridSpec.get_grid_positions: equal cells, gaps a fraction of the mean cell size.
        var cellHeight = (top - bottom) / (nrows + hspace * (nrows - 1));
        var cellWidth = (right - left) / (ncols + wspace * (ncols - 1));
        _axes = new Axes[nrows * ncols];
        for (var r = 0; r < nrows; r++)
            for (var c = 0; c < ncols; c++)
            {
                var cellTop = top - r * cellHeight * (1 + hspace);
                var cellLeft = left + c * cellWidth * (1 + wspace);
                _axes[r * ncols + c] = new Axes(this, r, c, cellLeft, cellTop - cellHeight, cellLeft + cellWidth, cellTop);
            }
    }

    /// <summary>
    /// A figure with a grid of <paramref name="nrows"/> × <paramref name="ncols"/> axes: matplotlib's
    /// <c>plt.subplots</c> with its figure and grid options.
    /// </summary>
    /// <param name="nrows">Rows of axes.</param>
    /// <param name="ncols">Columns of axes.</param>
    /// <param name="figsize">Width and height in inches; matplotlib's default (6.4, 4.8) when null.</param>
    /// <param name="dpi">Dots per inch: the saved PNG is figsize × dpi pixels.</param>
    /// <param name="facecolor">Background colour: a name (<c>white</c>, <c>black</c>, <c>tab:blue</c>, …), <c>C0</c>–<c>C9</c>, or <c>#rrggbb[aa]</c>.</param>
    /// <param name="left">Left edge of the grid, as a fraction of the figure's width.</param>
    /// <param name="right">Right edge of the grid, as a fraction of the figure's width.</param>
    /// <param name="bottom">Bottom edge of the grid, as a fraction of the figure's height.</param>
    /// <param name="top">Top edge of the grid, as a fraction of the figure's height.</param>
    /// <param name="wspace">Space between columns, as a fraction of a cell's width.</param>
    /// <param name="hspace">Space between rows, as a fraction of a cell's height.</param>
    /// <returns>The figure; its axes are <see cref="Axes"/>, row by row.</returns>
    /// <exception cref="ArgumentException">A size is not positive and finite, the fractions are not ordered within [0, 1], or the colour is unknown.</exception>
    public static Figure Create(int nrows = 1, int ncols = 1, (double Width, double Height)? figsize = null, double dpi = 100,
        string facecolor = "white", double left = 0.125, double right = 0.9, double bottom = 0.11, double top = 0.88,
        double wspace = 0.2, double hspace = 0.2)
    {
        if (nrows < 1 || ncols < 1)
            throw new ArgumentOutOfRangeException(nrows < 1 ? nameof(nrows) : nameof(ncols), $"A figure needs at least one row and one column of axes; got {nrows}×{ncols}.");
        var (width, height) = figsize ?? (6.4, 4.8);
        if (!(width > 0) || !(height > 0) || double.IsInfinity(width) || double.IsInfinity(height))
            throw new ArgumentOutOfRangeException(nameof(figsize), $"figsize must be positive and finite inches; got ({width}, {height}).");
        CheckDpi(dpi, width, height, nameof(dpi));
        if (!(0 <= left && left < right && right <= 1))
            throw new ArgumentException($"Need 0 ≤ left < right ≤ 1; got left={left}, right={right}.", nameof(left));
        if (!(0 <= bottom && bottom < top && top <= 1))
            throw new ArgumentException($"Need 0 ≤ bottom < top ≤ 1; got bottom={bottom}, top={top}.", nameof(bottom));
        if (!(wspace >= 0) || !(hspace >= 0) || double.IsInfinity(wspace) || double.IsInfinity(hspace))
            throw new ArgumentOutOfRangeException(nameof(wspace), $"wspace and hspace must be finite and ≥ 0; got {wspace}, {hspace}.");
        ArgumentNullException.ThrowIfNull(facecolor);
        return new Figure(nrows, ncols, width, height, dpi, facecolor, left, right, bottom, top, wspace, hspace);
    }

    /// <summary>Width in inches.</summary>
    public double Width { get; }

    /// <summary>Height in inches.</summary>
    public double Height { get; }

    /// <summary>Dots per inch used when saving without another dpi.</summary>
    public double Dpi { get; }

    /// <summary>Rows of axes.</summary>
    public int Rows { get; }

    /// <summary>Columns of axes.</summary>
    public int Columns { get; }

    /// <summary>Every axes, row by row (numpy's <c>axs.flat</c>).</summary>
    public IReadOnlyList<Axes> Axes => _axes;

    /// <summary>The axes at <paramref name="row"/>, <paramref name="column"/> (numpy's <c>axs[row, column]</c>).</summary>
    public Axes this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
                throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}) is outside the {Rows}×{Columns} grid.");
            return _axes[row * Columns + column];
        }
    }

    /// <summary>The figure's title, above the grid; null for none.</summary>
    public string? SuptitleText { get; private set; }

    internal double SuptitleSize { get; private set; } = 12;
    internal FontWeight SuptitleWeight { get; private set; }
    internal SkiaSharp.SKColor FaceColor { get; }

    /// <summary>Sets the figure's title (matplotlib's <c>fig.suptitle</c>), centred at the top.</summary>
    /// <param name="text">The title; null removes it.</param>
    /// <param name="weight">Font weight.</param>
    /// <param name="size">Font size in points (matplotlib's <c>large</c> is 12).</param>
    /// <returns>This figure.</returns>
    public Figure Suptitle(string? text, FontWeight weight = FontWeight.Normal, double size = 12)
    {
        CheckFontSize(size, nameof(size));
        SuptitleText = text;
        SuptitleWeight = weight;
        SuptitleSize = size;
        return this;
    }

    /// <summary>The saved image's size in pixels at <paramref name="dpi"/> (<see cref="Dpi"/> when null).</summary>
    public (int Width, int Height) PixelSize(double? dpi = null)
    {
        var d = dpi ?? Dpi;
        CheckDpi(d, Width, Height, nameof(dpi));
        // Rounded: matplotlib truncates, so a product that is not exact in binary can cost it a pixel (5.1 in at 100 dpi
        // is 509.99999… and 509 pixels there, 510 here).
        return ((int)Math.Round(Width * d), (int)Math.Round(Height * d));
    }

    /// <summary>Draws the figure and returns a PNG file's bytes (RGBA, <see cref="PixelSize"/> pixels).</summary>
    /// <param name="dpi">Dots per inch; <see cref="Dpi"/> when null.</param>
    public byte[] ToPng(double? dpi = null) => FigureRenderer.RenderPng(this, dpi ?? Dpi);

    /// <summary>Draws the figure and writes it as a PNG file (matplotlib's <c>savefig</c>).</summary>
    /// <param name="path">The file; its folder is created if missing; an existing file is replaced.</param>
    /// <param name="dpi">Dots per inch; <see cref="Dpi"/> when null.</param>
    /// <returns>The file's full path.</returns>
    public string SavePng(string path, double? dpi = null)
    {
        var full = PrepareFolder(path);
        var png = ToPng(dpi);
        WriteAtomically(full, png);
        return full;
    }

    /// <summary>Draws the figure and writes it as a PNG file without blocking on the write.</summary>
    /// <inheritdoc cref="SavePng"/>
    public async Task<string> SavePngAsync(string path, double? dpi = null, CancellationToken cancellationToken = default)
    {
        var full = PrepareFolder(path);
        var png = ToPng(dpi);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await File.WriteAllBytesAsync(temp, png, cancellationToken).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        return full;
    }

    /// <summary>Lets <c>var (fig, axs) = Plot.Subplots(2, 2);</c> read like the lesson's <c>fig, axs = subplots(2, 2)</c>.</summary>
    public void Deconstruct(out Figure figure, out IReadOnlyList<Axes> axes)
    {
        figure = this;
        axes = _axes;
    }

    private static string PrepareFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        return full;
    }

    // A reader never sees half a PNG: the bytes go to a temporary file that then replaces the target.
    private static void WriteAtomically(string full, byte[] png)
    {
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllBytes(temp, png);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void CheckDpi(double dpi, double width, double height, string name)
    {
        if (!(dpi > 0) || double.IsInfinity(dpi))
            throw new ArgumentOutOfRangeException(name, dpi, "dpi must be positive and finite.");
        if (width * dpi > MaxPixels || height * dpi > MaxPixels || Math.Round(width * dpi) < 1 || Math.Round(height * dpi) < 1)
            throw new ArgumentOutOfRangeException(name,
                $"A {width}×{height} in figure at {dpi} dpi would be {width * dpi:0.#}×{height * dpi:0.#} pixels; each side must be 1 to {MaxPixels}.");
    }

    internal static void CheckFontSize(double size, string name)
    {
        if (!(size > 0) || double.IsInfinity(size))
            throw new ArgumentOutOfRangeException(name, size, "A font size is a positive, finite number of points.");
    }

    private const int MaxPixels = 16384;
}

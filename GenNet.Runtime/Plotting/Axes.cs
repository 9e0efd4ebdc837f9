using System;
using System.Collections.Generic;
using System.Linq;
using SkiaSharp;

namespace GenNet.Plotting;

/// <summary>How <see cref="Axes.ImShow"/> resamples an image to the pixels it covers.</summary>
public enum Interpolation
{
    /// <summary>matplotlib's default: nearest when the image is enlarged 3× or more (or not resampled), smooth otherwise.</summary>
    Antialiased,
    /// <summary>Each output pixel takes the nearest image pixel: hard-edged blocks.</summary>
    Nearest,
    /// <summary>Bilinear between the nearest four image pixels.</summary>
    Bilinear,
}

/// <summary>The shape of an axes showing an image.</summary>
public enum Aspect
{
    /// <summary>Square image pixels: the axes shrinks to the image's shape, centred in its cell.</summary>
    Equal,
    /// <summary>The image fills the axes' cell, stretched as needed.</summary>
    Auto,
}

/// <summary>Where <see cref="Axes.Legend"/> puts the legend.</summary>
public enum LegendLocation
{
    /// <summary>The first of the corners, then edges, that covers the fewest points of the lines (matplotlib's <c>best</c>).</summary>
    Best,
    /// <summary>Upper right.</summary>
    UpperRight,
    /// <summary>Upper left.</summary>
    UpperLeft,
    /// <summary>Lower left.</summary>
    LowerLeft,
    /// <summary>Lower right.</summary>
    LowerRight,
    /// <summary>Centre of the right edge.</summary>
    CenterRight,
    /// <summary>Centre of the left edge.</summary>
    CenterLeft,
    /// <summary>Centre of the bottom edge.</summary>
    LowerCenter,
    /// <summary>Centre of the top edge.</summary>
    UpperCenter,
    /// <summary>Centre.</summary>
    Center,
}

/// <summary>
/// One plotting area of a <see cref="Plotting.Figure"/> (matplotlib's <c>Axes</c>): images (<see cref="ImShow"/>),
/// lines (<see cref="Plot(IReadOnlyList{double}, IReadOnlyList{double}, string?, string?, double, bool)"/>), a title,
/// axis labels, ticks and a legend.
/// </summary>
public sealed class Axes
{
    private readonly List<ImageLayer> _images = new();
    private readonly List<LineSeries> _lines = new();

    internal Axes(Figure figure, int row, int column, double left, double bottom, double right, double top)
    {
        Figure = figure;
        Row = row;
        Column = column;
        CellLeft = left;
        CellBottom = bottom;
        CellRight = right;
        CellTop = top;
    }

    /// <summary>The figure this axes belongs to.</summary>
    public Figure Figure { get; }

    /// <summary>Its row in the figure's grid.</summary>
    public int Row { get; }

    /// <summary>Its column in the figure's grid.</summary>
    public int Column { get; }

    /// <summary>The title above the axes; null for none.</summary>
    public string? Title { get; private set; }

    /// <summary>The label under the x axis; null for none.</summary>
    public string? XLabel { get; private set; }

    /// <summary>The label left of the y axis; null for none.</summary>
    public string? YLabel { get; private set; }

    /// <summary>
    /// Whether the frame, ticks, tick labels and axis labels are drawn (matplotlib's <c>axis('on')</c>/<c>axis('off')</c>).
    /// Images, lines, the title and the legend are drawn either way.
    /// </summary>
    public bool AxisVisible { get; set; } = true;

    /// <summary>Whether ticks and their labels are drawn; <see cref="HideTicks"/> clears them as <c>set_xticks([])</c> does.</summary>
    public bool TicksVisible { get; set; } = true;

    /// <summary>Whether anything has been drawn on this axes (an image or a line).</summary>
    public bool HasContent => _images.Count > 0 || _lines.Count > 0;

    internal double CellLeft { get; }
    internal double CellBottom { get; }
    internal double CellRight { get; }
    internal double CellTop { get; }
    internal double TitleSize { get; private set; } = 12;
    internal FontWeight TitleWeight { get; private set; }
    internal LegendLocation? LegendAt { get; private set; }
    internal double[]? XTicks { get; private set; }
    internal double[]? YTicks { get; private set; }
    internal (double Min, double Max)? XLimits { get; private set; }
    internal (double Min, double Max)? YLimits { get; private set; }
    internal IReadOnlyList<ImageLayer> Images => _images;
    internal IReadOnlyList<LineSeries> Lines => _lines;

    /// <summary>
    /// Draws an image (matplotlib's <c>Axes.imshow</c>): one-channel images through a colormap, RGB and RGBA as they are
    /// (float values in [0, 1], bytes 0–255). Pixel (0, 0) is at the top left.
    /// </summary>
    /// <param name="image">The image: a tensor, an <see cref="GenNet.Imaging.Image8"/>, an array, … (see <see cref="ImageData"/>).</param>
    /// <param name="cmap">Colormap name for one-channel images (<c>viridis</c>, <c>gray</c>, <c>gray_r</c>, …); <see cref="Colormap.Default"/> when null. Ignored for RGB(A).</param>
    /// <param name="vmin">The value drawn with the colormap's first colour; the image's minimum when null. Ignored for RGB(A).</param>
    /// <param name="vmax">The value drawn with the colormap's last colour; the image's maximum when null. Ignored for RGB(A).</param>
    /// <param name="interpolation">How the image is resampled to the pixels it covers.</param>
    /// <param name="aspect">Whether image pixels stay square (the axes shrinks to the image) or the image fills the cell.</param>
    /// <param name="alpha">Opacity from 0 (invisible) to 1.</param>
    /// <returns>This axes.</returns>
    /// <exception cref="ArgumentException">The image is empty, the colormap unknown, vmin is not below vmax, or alpha is outside [0, 1].</exception>
    public Axes ImShow(ImageData image, string? cmap = null, double? vmin = null, double? vmax = null,
        Interpolation interpolation = Interpolation.Antialiased, Aspect aspect = Aspect.Equal, double alpha = 1)
    {
        if (!image.HasValue)
            throw new ArgumentException("The image is empty (default ImageData).", nameof(image));
        var map = cmap is null ? Colormap.Default : Colormap.FromName(cmap);
        if (vmin is { } lo && vmax is { } hi && !(lo < hi))
            throw new ArgumentException($"vmin must be below vmax; got vmin={lo}, vmax={hi}.", nameof(vmin));
        if (!(alpha >= 0 && alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha is an opacity in [0, 1].");
        _images.Add(new ImageLayer(ImageRgba.From(image, map, vmin, vmax, alpha), image.Height, image.Width, interpolation, aspect));
        return this;
    }

    /// <summary>Draws a line through (xs[i], ys[i]) (matplotlib's <c>Axes.plot</c>).</summary>
    /// <param name="xs">X values.</param>
    /// <param name="ys">Y values, as many as <paramref name="xs"/>.</param>
    /// <param name="label">The line's name in the legend; null leaves it out.</param>
    /// <param name="color">Line colour (see <see cref="Figure.Create"/>'s <c>facecolor</c>); the next of the default cycle (C0, C1, …) when null.</param>
    /// <param name="lineWidth">Width in points.</param>
    /// <param name="markers">Whether each point also gets a dot.</param>
    /// <returns>This axes.</returns>
    /// <exception cref="ArgumentException">The lengths differ, there are no points, or the colour is unknown.</exception>
    public Axes Plot(IReadOnlyList<double> xs, IReadOnlyList<double> ys, string? label = null, string? color = null, double lineWidth = 1.5, bool markers = false)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (xs.Count != ys.Count)
            throw new ArgumentException($"xs has {xs.Count} values and ys {ys.Count}; a line needs one x per y.", nameof(ys));
        if (xs.Count == 0)
            throw new ArgumentException("A line needs at least one point.", nameof(xs));
        if (!(lineWidth >= 0) || double.IsInfinity(lineWidth))
            throw new ArgumentOutOfRangeException(nameof(lineWidth), lineWidth, "A line width is a finite number of points ≥ 0.");
        var skColor = color is null ? PlotColors.Cycle[_lines.Count % PlotColors.Cycle.Length] : PlotColors.Parse(color, nameof(color));
        _lines.Add(new LineSeries(xs.ToArray(), ys.ToArray(), label, skColor, lineWidth, markers));
        return this;
    }

    /// <summary>Draws a line through (i, ys[i]), as <c>plt.plot(ys)</c> does.</summary>
    /// <inheritdoc cref="Plot(IReadOnlyList{double}, IReadOnlyList{double}, string?, string?, double, bool)"/>
    public Axes Plot(IReadOnlyList<double> ys, string? label = null, string? color = null, double lineWidth = 1.5, bool markers = false)
    {
        ArgumentNullException.ThrowIfNull(ys);
        return Plot(Enumerable.Range(0, ys.Count).Select(i => (double)i).ToArray(), ys, label, color, lineWidth, markers);
    }

    /// <summary>Sets the title drawn above the axes.</summary>
    /// <param name="title">The text; null removes it.</param>
    /// <param name="size">Font size in points (matplotlib's <c>large</c> is 12).</param>
    /// <param name="weight">Font weight.</param>
    /// <returns>This axes.</returns>
    public Axes SetTitle(string? title, double size = 12, FontWeight weight = FontWeight.Normal)
    {
        Figure.CheckFontSize(size, nameof(size));
        Title = title;
        TitleSize = size;
        TitleWeight = weight;
        return this;
    }

    /// <summary>Sets the x axis' label.</summary>
    /// <returns>This axes.</returns>
    public Axes SetXLabel(string? label)
    {
        XLabel = label;
        return this;
    }

    /// <summary>Sets the y axis' label.</summary>
    /// <returns>This axes.</returns>
    public Axes SetYLabel(string? label)
    {
        YLabel = label;
        return this;
    }

    /// <summary>Fixes the x range instead of fitting it to the data (matplotlib's <c>set_xlim</c>; left above right reverses the axis).</summary>
    /// <returns>This axes.</returns>
    public Axes SetXLim(double left, double right)
    {
        XLimits = CheckLimits(left, right, nameof(left));
        return this;
    }

    /// <summary>Fixes the y range instead of fitting it to the data (matplotlib's <c>set_ylim</c>; bottom above top reverses the axis).</summary>
    /// <returns>This axes.</returns>
    public Axes SetYLim(double bottom, double top)
    {
        YLimits = CheckLimits(bottom, top, nameof(bottom));
        return this;
    }

    /// <summary>
    /// Puts the x ticks at <paramref name="ticks"/> instead of choosing them (matplotlib's <c>set_xticks</c>); an empty
    /// list removes the x ticks; null goes back to choosing.
    /// </summary>
    /// <returns>This axes.</returns>
    public Axes SetXTicks(IReadOnlyList<double>? ticks)
    {
        XTicks = CheckTicks(ticks, nameof(ticks));
        return this;
    }

    /// <summary>Puts the y ticks at <paramref name="ticks"/> instead of choosing them (matplotlib's <c>set_yticks</c>).</summary>
    /// <returns>This axes.</returns>
    public Axes SetYTicks(IReadOnlyList<double>? ticks)
    {
        YTicks = CheckTicks(ticks, nameof(ticks));
        return this;
    }

    private static double[]? CheckTicks(IReadOnlyList<double>? ticks, string name)
    {
        if (ticks is null)
            return null;
        if (ticks.Any(t => !double.IsFinite(t)))
            throw new ArgumentException("Tick positions must be finite.", name);
        return ticks.ToArray();
    }

    /// <summary>Shows a legend of the labelled lines.</summary>
    /// <param name="location">Where it goes.</param>
    /// <returns>This axes.</returns>
    public Axes Legend(LegendLocation location = LegendLocation.Best)
    {
        LegendAt = location;
        return this;
    }

    /// <summary>Hides the frame, ticks and axis labels (matplotlib's <c>set_axis_off</c>).</summary>
    /// <returns>This axes.</returns>
    public Axes AxisOff()
    {
        AxisVisible = false;
        return this;
    }

    /// <summary>Removes the ticks and tick labels but keeps the frame (<c>set_xticks([]); set_yticks([])</c>).</summary>
    /// <returns>This axes.</returns>
    public Axes HideTicks()
    {
        TicksVisible = false;
        return this;
    }

    /// <summary>
    /// Where the axes' plotting area lands in the PNG saved at <paramref name="dpi"/> (<see cref="Figure.Dpi"/> when
    /// null): its cell, or for an image with <see cref="Aspect.Equal"/> the part of the cell with the image's shape.
    /// </summary>
    public PixelBox GetPixelBox(double? dpi = null)
    {
        var (width, height) = Figure.PixelSize(dpi);
        var box = new PixelBox(CellLeft * width, (1 - CellTop) * height, CellRight * width, (1 - CellBottom) * height);
        var image = _images.LastOrDefault(i => i.Aspect == Aspect.Equal);
        if (image is null)
            return box;
        var (x0, x1, y0, y1) = DataLimits();
        var dataAspect = Math.Abs((y1 - y0) / (x1 - x0));
        if (box.Height / box.Width > dataAspect)
        {
            var h = box.Width * dataAspect;
            var top = box.Top + (box.Height - h) / 2;
            return box with { Top = top, Bottom = top + h };
        }
        var w = box.Height / dataAspect;
        var left = box.Left + (box.Width - w) / 2;
        return box with { Left = left, Right = left + w };
    }

    /// <summary>
    /// The visible data range: x at the left and right edges, y at the bottom and top edges. An image's rows run
    /// downwards (matplotlib's <c>origin='upper'</c>), so with an image the y range is inverted.
    /// </summary>
    internal (double XLeft, double XRight, double YBottom, double YTop) DataLimits()
    {
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (var image in _images)
        {
            xMin = Math.Min(xMin, -0.5);
            xMax = Math.Max(xMax, image.Width - 0.5);
            yMin = Math.Min(yMin, -0.5);
            yMax = Math.Max(yMax, image.Height - 0.5);
        }
        double lxMin = double.PositiveInfinity, lxMax = double.NegativeInfinity, lyMin = double.PositiveInfinity, lyMax = double.NegativeInfinity;
        foreach (var line in _lines)
            for (var i = 0; i < line.Xs.Length; i++)
            {
                if (!double.IsFinite(line.Xs[i]) || !double.IsFinite(line.Ys[i])) continue;
                lxMin = Math.Min(lxMin, line.Xs[i]);
                lxMax = Math.Max(lxMax, line.Xs[i]);
                lyMin = Math.Min(lyMin, line.Ys[i]);
                lyMax = Math.Max(lyMax, line.Ys[i]);
            }
        if (lxMin <= lxMax)
        {
            // matplotlib pads line data by 5% of its range (axes.xmargin / ymargin); images are shown edge to edge.
            var (x0, x1) = Nonsingular(lxMin, lxMax);
            var (y0, y1) = Nonsingular(lyMin, lyMax);
            var (mx, my) = (0.05 * (x1 - x0), 0.05 * (y1 - y0));
            xMin = Math.Min(xMin, x0 - mx);
            xMax = Math.Max(xMax, x1 + mx);
            yMin = Math.Min(yMin, y0 - my);
            yMax = Math.Max(yMax, y1 + my);
        }
        if (!(xMin <= xMax)) (xMin, xMax) = (0, 1);
        if (!(yMin <= yMax)) (yMin, yMax) = (0, 1);
        var (left, right) = XLimits ?? (xMin, xMax);
        var (bottom, top) = YLimits ?? (_images.Count > 0 ? (yMax, yMin) : (yMin, yMax));
        return (left, right, bottom, top);
    }

    private static (double, double) Nonsingular(double lo, double hi)
    {
        if (hi - lo > 1e-12 * Math.Max(1, Math.Abs(hi)))
            return (lo, hi);
        // A constant series gets a window of ±5% around its value (±0.05 around 0), as matplotlib's nonsingular does.
        var pad = lo == 0 ? 0.05 : 0.05 * Math.Abs(lo);
        return (lo - pad, hi + pad);
    }

    private static (double, double) CheckLimits(double min, double max, string name)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min == max)
            throw new ArgumentException($"Axis limits must be finite and different; got ({min}, {max}).", name);
        return (min, max);
    }

    internal sealed record ImageLayer(byte[] Rgba, int Height, int Width, Interpolation Interpolation, Aspect Aspect);

    internal sealed record LineSeries(double[] Xs, double[] Ys, string? Label, SKColor Color, double LineWidth, bool Markers);
}

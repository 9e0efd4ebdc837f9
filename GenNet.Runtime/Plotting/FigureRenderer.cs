using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace GenNet.Plotting;

/// <summary>Draws a <see cref="Figure"/> with SkiaSharp. Sizes are in points (1/72 inch) scaled by the dpi, as in matplotlib.</summary>
internal static class FigureRenderer
{
    // matplotlib's rcParams defaults, in points.
    private const double TickLength = 3.5, TickWidth = 0.8, TickPad = 3.5, TickLabelSize = 10, SpineWidth = 0.8;
    private const double TitlePad = 6, LabelSize = 10, LabelPad = 4, LegendSize = 10;

    internal static byte[] RenderPng(Figure figure, double dpi)
    {
        var (width, height) = figure.PixelSize(dpi);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"SkiaSharp could not allocate a {width}×{height} surface.");
        var canvas = surface.Canvas;
        canvas.Clear(figure.FaceColor);
        var scale = dpi / 72.0;
        foreach (var axes in figure.Axes)
            DrawAxes(canvas, axes, dpi, scale);
        if (figure.SuptitleText is { } suptitle)
        {
            // matplotlib: x = 0.5, y = 0.98 of the figure, top-aligned.
            using var paint = TextPaint(figure.SuptitleSize * scale, figure.SuptitleWeight, SKColors.Black);
            DrawText(canvas, suptitle, width / 2.0, 0.02 * height, paint, HAlign.Center, VAlign.Top);
        }
        canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the figure as PNG.");
        return data.ToArray();
    }

    private static void DrawAxes(SKCanvas canvas, Axes axes, double dpi, double scale)
    {
        var box = axes.GetPixelBox(dpi);
        var rect = new SKRect((float)box.Left, (float)box.Top, (float)box.Right, (float)box.Bottom);
        var (xLeft, xRight, yBottom, yTop) = axes.DataLimits();
        double X(double x) => box.Left + (x - xLeft) / (xRight - xLeft) * box.Width;
        double Y(double y) => box.Bottom - (y - yBottom) / (yTop - yBottom) * box.Height;

        canvas.Save();
        canvas.ClipRect(rect);
        foreach (var image in axes.Images)
            DrawImage(canvas, image, new SKRect((float)X(-0.5), (float)Y(-0.5), (float)X(image.Width - 0.5), (float)Y(image.Height - 0.5)));
        foreach (var line in axes.Lines)
            DrawLine(canvas, line, X, Y, scale);
        canvas.Restore();

        var tickLabelExtent = 0.0;
        var yTickLabelWidth = 0.0;
        if (axes.AxisVisible)
        {
            using var spine = new SKPaint { Color = SKColors.Black, StrokeWidth = (float)(SpineWidth * scale), IsAntialias = true, Style = SKPaintStyle.Stroke };
            canvas.DrawRect(Snap(rect, spine.StrokeWidth), spine);
            if (axes.TicksVisible)
            {
                using var tick = new SKPaint { Color = SKColors.Black, StrokeWidth = (float)(TickWidth * scale), IsAntialias = true, Style = SKPaintStyle.Stroke };
                using var label = TextPaint(TickLabelSize * scale, FontWeight.Normal, SKColors.Black);
                var length = TickLength * scale;
                var pad = TickPad * scale;
                // matplotlib's tick space: one tick per 3 label heights across x, 2 along y.
                var (xs, xStep) = axes.XTicks is { } fixedX
                    ? (Ticks.Within(fixedX, xLeft, xRight), Ticks.StepOf(fixedX))
                    : Ticks.Locate(xLeft, xRight, (int)Math.Floor(box.Width / scale / (TickLabelSize * 3)));
                foreach (var x in xs)
                {
                    var px = (float)X(x);
                    canvas.DrawLine(px, rect.Bottom, px, (float)(rect.Bottom + length), tick);
                    DrawText(canvas, Ticks.Format(x, xStep), px, rect.Bottom + length + pad, label, HAlign.Center, VAlign.Top);
                }
                tickLabelExtent = xs.Length == 0 ? 0 : length + pad + LineHeight(label);
                var (ys, yStep) = axes.YTicks is { } fixedY
                    ? (Ticks.Within(fixedY, yBottom, yTop), Ticks.StepOf(fixedY))
                    : Ticks.Locate(Math.Min(yBottom, yTop), Math.Max(yBottom, yTop), (int)Math.Floor(box.Height / scale / (TickLabelSize * 2)));
                foreach (var y in ys)
                {
                    var py = (float)Y(y);
                    canvas.DrawLine(rect.Left, py, (float)(rect.Left - length), py, tick);
                    var text = Ticks.Format(y, yStep);
                    DrawText(canvas, text, rect.Left - length - pad, py, label, HAlign.Right, VAlign.Center);
                    yTickLabelWidth = Math.Max(yTickLabelWidth, label.MeasureText(text));
                }
                yTickLabelWidth += length + pad;
            }
            using var labels = TextPaint(LabelSize * scale, FontWeight.Normal, SKColors.Black);
            if (axes.XLabel is { } xLabel)
                DrawText(canvas, xLabel, (rect.Left + rect.Right) / 2.0, rect.Bottom + tickLabelExtent + LabelPad * scale, labels, HAlign.Center, VAlign.Top);
            if (axes.YLabel is { } yLabel)
            {
                var x = rect.Left - yTickLabelWidth - LabelPad * scale;
                var y = (rect.Top + rect.Bottom) / 2.0;
                canvas.Save();
                canvas.RotateDegrees(-90, (float)x, (float)y);
                DrawText(canvas, yLabel, x, y, labels, HAlign.Center, VAlign.Bottom);
                canvas.Restore();
            }
        }
        if (axes.Title is { } title)
        {
            using var paint = TextPaint(axes.TitleSize * scale, axes.TitleWeight, SKColors.Black);
            DrawText(canvas, title, (rect.Left + rect.Right) / 2.0, rect.Top - TitlePad * scale, paint, HAlign.Center, VAlign.Baseline);
        }
        if (axes.LegendAt is { } location)
            DrawLegend(canvas, axes, location, rect, X, Y, scale);
    }

    private static void DrawImage(SKCanvas canvas, Axes.ImageLayer image, SKRect target)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var rowBytes = image.Width * 4;
        var pixels = bitmap.GetPixels();
        for (var r = 0; r < image.Height; r++)
            Marshal.Copy(image.Rgba, r * rowBytes, pixels + r * bitmap.RowBytes, rowBytes);
        var zoom = Math.Min(Math.Abs(target.Width) / image.Width, Math.Abs(target.Height) / image.Height);
        var quality = image.Interpolation switch
        {
            Interpolation.Nearest => SKFilterQuality.None,
            Interpolation.Bilinear => SKFilterQuality.Low,
            // matplotlib's 'antialiased': nearest when enlarged 3× or more or drawn 1:1, smoothing otherwise.
            _ => zoom >= 3 || Math.Abs(zoom - 1) < 1e-6 ? SKFilterQuality.None : zoom > 1 ? SKFilterQuality.Low : SKFilterQuality.Medium,
        };
        using var paint = new SKPaint { FilterQuality = quality, IsAntialias = false };
        canvas.DrawBitmap(bitmap, target, paint);
    }

    private static void DrawLine(SKCanvas canvas, Axes.LineSeries line, Func<double, double> x, Func<double, double> y, double scale)
    {
        using var paint = new SKPaint
        {
            Color = line.Color, StrokeWidth = (float)(line.LineWidth * scale), IsAntialias = true, Style = SKPaintStyle.Stroke,
            StrokeCap = SKStrokeCap.Square, StrokeJoin = SKStrokeJoin.Round,
        };
        using var path = new SKPath();
        var open = false;
        for (var i = 0; i < line.Xs.Length; i++)
        {
            if (!double.IsFinite(line.Xs[i]) || !double.IsFinite(line.Ys[i]))
            {
                open = false; // a NaN breaks the line, as in matplotlib
                continue;
            }
            var p = new SKPoint((float)x(line.Xs[i]), (float)y(line.Ys[i]));
            if (open) path.LineTo(p);
            else path.MoveTo(p);
            open = true;
        }
        if (line.LineWidth > 0)
            canvas.DrawPath(path, paint);
        if (line.Markers)
        {
            using var dot = new SKPaint { Color = line.Color, IsAntialias = true, Style = SKPaintStyle.Fill };
            for (var i = 0; i < line.Xs.Length; i++)
                if (double.IsFinite(line.Xs[i]) && double.IsFinite(line.Ys[i]))
                    canvas.DrawCircle((float)x(line.Xs[i]), (float)y(line.Ys[i]), (float)(3 * scale), dot);
        }
    }

    private static void DrawLegend(SKCanvas canvas, Axes axes, LegendLocation location, SKRect box,
        Func<double, double> x, Func<double, double> y, double scale)
    {
        var entries = axes.Lines.Where(l => l.Label is not null).ToList();
        if (entries.Count == 0)
            return;
        using var text = TextPaint(LegendSize * scale, FontWeight.Normal, SKColors.Black);
        // matplotlib's legend geometry, in units of the font size.
        var em = LegendSize * scale;
        var (borderPad, handleLength, handlePad, spacing, axesPad) = (0.4 * em, 2.0 * em, 0.8 * em, 0.5 * em, 0.5 * em);
        var lineHeight = LineHeight(text);
        var width = 2 * borderPad + handleLength + handlePad + entries.Max(e => text.MeasureText(e.Label!));
        var height = 2 * borderPad + entries.Count * lineHeight + (entries.Count - 1) * spacing;

        SKRect At(LegendLocation where)
        {
            var left = where switch
            {
                LegendLocation.UpperLeft or LegendLocation.LowerLeft or LegendLocation.CenterLeft => box.Left + axesPad,
                LegendLocation.LowerCenter or LegendLocation.UpperCenter or LegendLocation.Center => (box.Left + box.Right - width) / 2,
                _ => box.Right - axesPad - width,
            };
            var top = where switch
            {
                LegendLocation.UpperLeft or LegendLocation.UpperRight or LegendLocation.UpperCenter => box.Top + axesPad,
                LegendLocation.CenterLeft or LegendLocation.CenterRight or LegendLocation.Center => (box.Top + box.Bottom - height) / 2,
                _ => box.Bottom - axesPad - height,
            };
            return new SKRect((float)left, (float)top, (float)(left + width), (float)(top + height));
        }

        SKRect frame;
        if (location != LegendLocation.Best)
            frame = At(location);
        else
        {
            // 'best': the first candidate (matplotlib's order) covering the fewest sampled points of the lines.
            var points = new List<SKPoint>();
            foreach (var line in axes.Lines)
                for (var i = 0; i < line.Xs.Length; i++)
                {
                    if (!double.IsFinite(line.Xs[i]) || !double.IsFinite(line.Ys[i])) continue;
                    var p = new SKPoint((float)x(line.Xs[i]), (float)y(line.Ys[i]));
                    points.Add(p);
                    if (i + 1 < line.Xs.Length && double.IsFinite(line.Xs[i + 1]) && double.IsFinite(line.Ys[i + 1]))
                    {
                        var q = new SKPoint((float)x(line.Xs[i + 1]), (float)y(line.Ys[i + 1]));
                        for (var k = 1; k < 16; k++)
                            points.Add(new SKPoint(p.X + (q.X - p.X) * k / 16f, p.Y + (q.Y - p.Y) * k / 16f));
                    }
                }
            var candidates = new[]
            {
                LegendLocation.UpperRight, LegendLocation.UpperLeft, LegendLocation.LowerLeft, LegendLocation.LowerRight,
                LegendLocation.CenterRight, LegendLocation.CenterLeft, LegendLocation.LowerCenter, LegendLocation.UpperCenter, LegendLocation.Center,
            };
            frame = candidates.Select(At).MinBy(r => points.Count(r.Contains));
        }

        using var face = new SKPaint { Color = new SKColor(255, 255, 255, 204), IsAntialias = true, Style = SKPaintStyle.Fill };
        using var edge = new SKPaint { Color = new SKColor(0xcc, 0xcc, 0xcc), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = (float)(0.8 * scale) };
        var radius = (float)(0.2 * em);
        canvas.DrawRoundRect(frame, radius, radius, face);
        canvas.DrawRoundRect(frame, radius, radius, edge);
        var rowTop = frame.Top + borderPad;
        foreach (var entry in entries)
        {
            var middle = rowTop + lineHeight / 2;
            using var handle = new SKPaint { Color = entry.Color, StrokeWidth = (float)(entry.LineWidth * scale), IsAntialias = true, Style = SKPaintStyle.Stroke };
            var hx = frame.Left + borderPad;
            canvas.DrawLine((float)hx, (float)middle, (float)(hx + handleLength), (float)middle, handle);
            DrawText(canvas, entry.Label!, hx + handleLength + handlePad, middle, text, HAlign.Left, VAlign.Center);
            rowTop += lineHeight + spacing;
        }
    }

    // A 1-pixel-ish stroke on a pixel boundary covers two half-grey rows; moving it to the pixel's centre keeps it crisp.
    private static SKRect Snap(SKRect rect, float strokeWidth)
    {
        if (Math.Round(strokeWidth) % 2 == 0)
            return SKRect.Create(MathF.Round(rect.Left), MathF.Round(rect.Top), MathF.Round(rect.Width), MathF.Round(rect.Height));
        return new SKRect(MathF.Floor(rect.Left) + 0.5f, MathF.Floor(rect.Top) + 0.5f, MathF.Floor(rect.Right) + 0.5f, MathF.Floor(rect.Bottom) + 0.5f);
    }

    private enum HAlign { Left, Center, Right }

    private enum VAlign { Top, Center, Baseline, Bottom }

    private static SKPaint TextPaint(double sizePixels, FontWeight weight, SKColor color) => new()
    {
        Typeface = PlotFonts.Get(weight),
        TextSize = (float)sizePixels,
        IsAntialias = true,
        SubpixelText = true,
        LcdRenderText = false,
        Color = color,
    };

    // matplotlib lays text out with the extent of "lp" (ascender to descender), not the font's full line spacing.
    private static (double Above, double Below) LayoutExtent(SKPaint paint)
    {
        var bounds = new SKRect();
        paint.MeasureText("lp", ref bounds);
        return (-bounds.Top, bounds.Bottom);
    }

    private static double LineHeight(SKPaint paint)
    {
        var (above, below) = LayoutExtent(paint);
        return above + below;
    }

    private static void DrawText(SKCanvas canvas, string text, double x, double y, SKPaint paint, HAlign h, VAlign v)
    {
        var (above, below) = LayoutExtent(paint);
        var width = paint.MeasureText(text);
        var left = h switch { HAlign.Left => x, HAlign.Center => x - width / 2, _ => x - width };
        var baseline = v switch
        {
            VAlign.Top => y + above,
            VAlign.Center => y + (above - below) / 2,
            VAlign.Bottom => y - below,
            _ => y,
        };
        canvas.DrawText(text, (float)left, (float)baseline, paint);
    }
}

/// <summary>The DejaVu Sans typefaces embedded in GenNet (matplotlib's default font), so text never depends on system fonts.</summary>
internal static class PlotFonts
{
    private static readonly Lazy<SKTypeface> Regular = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> Bold = new(() => Load("DejaVuSans-Bold.ttf"));

    internal static SKTypeface Get(FontWeight weight) => weight == FontWeight.Bold ? Bold.Value : Regular.Value;

    private static SKTypeface Load(string file)
    {
        var name = "GenNet.Plotting.Fonts." + file;
        using var stream = typeof(PlotFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded font {name} is missing from {typeof(PlotFonts).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        using var data = SKData.CreateCopy(copy.ToArray());
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"SkiaSharp could not read the embedded font {name}.");
    }
}

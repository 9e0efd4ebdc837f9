using System;

namespace GenNet.Plotting;

/// <summary>Turns an <see cref="ImageData"/> into unpremultiplied RGBA bytes, as matplotlib's imshow colours it.</summary>
internal static class ImageRgba
{
    internal static byte[] From(ImageData image, Colormap map, double? vmin, double? vmax, double alpha)
    {
        var n = image.Height * image.Width;
        var rgba = new byte[n * 4];
        var a = (byte)Math.Round(alpha * 255);
        if (image.Channels == 1)
        {
            // matplotlib's Normalize: the range defaults to the data's finite min and max; a flat image maps to the first colour.
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                var v = Value(image, i);
                if (!double.IsFinite(v)) continue;
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
            lo = vmin ?? (double.IsFinite(lo) ? lo : 0);
            hi = vmax ?? (double.IsFinite(hi) ? hi : 1);
            var table = map.Table;
            for (var i = 0; i < n; i++)
            {
                var v = Value(image, i);
                if (double.IsNaN(v))
                    continue; // matplotlib's "bad" colour: transparent.
                var t = hi > lo ? (v - lo) / (hi - lo) : 0;
                var k = Colormap.LookupIndex(t) * 3;
                rgba[4 * i] = table[k];
                rgba[4 * i + 1] = table[k + 1];
                rgba[4 * i + 2] = table[k + 2];
                rgba[4 * i + 3] = a;
            }
            return rgba;
        }
        var c = image.Channels;
        for (var i = 0; i < n; i++)
        {
            for (var ch = 0; ch < 3; ch++)
                rgba[4 * i + ch] = Channel(image, i * c + ch);
            var own = c == 4 ? Channel(image, i * c + 3) : (byte)255;
            rgba[4 * i + 3] = (byte)Math.Round(own * alpha);
        }
        return rgba;
    }

    private static double Value(ImageData image, int i) => image.Bytes is { } b ? b[i] : image.Floats![i];

    // RGB(A) floats are clipped to [0, 1], as matplotlib does (with a warning there).
    private static byte Channel(ImageData image, int i)
    {
        if (image.Bytes is { } b)
            return b[i];
        var v = image.Floats![i];
        return float.IsNaN(v) ? (byte)0 : (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255);
    }
}

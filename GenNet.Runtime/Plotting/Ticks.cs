using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GenNet.Plotting;

/// <summary>Tick positions and labels as matplotlib's default locator and formatter choose them.</summary>
internal static class Ticks
{
    private static readonly double[] Steps = [1, 2, 2.5, 5, 10];

    /// <summary>
    /// Multiples of the smallest "nice" step (1, 2, 2.5, 5 × 10^k) that puts at most <paramref name="maxBins"/> intervals
    /// across [lo, hi] (MaxNLocator with matplotlib's AutoLocator steps), keeping those inside the range.
    /// </summary>
    internal static (double[] Values, double Step) Locate(double lo, double hi, int maxBins)
    {
        if (lo > hi) (lo, hi) = (hi, lo);
        var span = hi - lo;
        if (!(span > 0) || !double.IsFinite(span))
            return ([lo], 1);
        maxBins = Math.Clamp(maxBins, 1, 9);
        var raw = span / maxBins;
        var scale = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = 10 * scale;
        foreach (var s in Steps)
        {
            var candidate = s * scale;
            if (Math.Floor(hi / candidate + 1e-9) - Math.Ceiling(lo / candidate - 1e-9) <= maxBins)
            {
                step = candidate;
                break;
            }
        }
        var values = new List<double>();
        var first = Math.Ceiling(lo / step - 1e-9);
        var last = Math.Floor(hi / step + 1e-9);
        for (var k = first; k <= last; k++)
            values.Add(Math.Abs(k) < 1e-12 ? 0 : k * step);
        return (values.ToArray(), step);
    }

    /// <summary>The given ticks that fall inside the axis' range.</summary>
    internal static double[] Within(double[] ticks, double a, double b)
    {
        var (lo, hi) = (Math.Min(a, b), Math.Max(a, b));
        var slack = 1e-9 * (hi - lo);
        return ticks.Where(t => t >= lo - slack && t <= hi + slack).ToArray();
    }

    /// <summary>The precision given ticks need: the smallest gap between them (1 for fewer than two).</summary>
    internal static double StepOf(double[] ticks)
    {
        var sorted = ticks.Distinct().Order().ToArray();
        var step = double.PositiveInfinity;
        for (var i = 1; i < sorted.Length; i++)
            step = Math.Min(step, sorted[i] - sorted[i - 1]);
        return double.IsFinite(step) ? step : sorted.Length == 1 && sorted[0] != Math.Round(sorted[0]) ? Math.Abs(sorted[0]) : 1;
    }

    /// <summary>The tick's label with as many decimals as the step needs, and a real minus sign, as ScalarFormatter writes it.</summary>
    internal static string Format(double value, double step)
    {
        var decimals = 0;
        while (decimals < 12 && Math.Abs(step * Math.Pow(10, decimals) - Math.Round(step * Math.Pow(10, decimals))) > 1e-9 * Math.Pow(10, decimals))
            decimals++;
        var text = Math.Round(value, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (text.StartsWith('-'))
            text = IsZero(text) ? text[1..] : "\u2212" + text[1..];
        return text;
    }

    private static bool IsZero(string text)
    {
        foreach (var ch in text)
            if (ch is >= '1' and <= '9') return false;
        return true;
    }
}

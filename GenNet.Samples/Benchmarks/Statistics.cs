using System.Collections.Generic;
using System.Linq;

namespace GenNet.Samples.Benchmarks;

/// <summary>Summary statistics shared by the benchmark harnesses.</summary>
internal static class Statistics
{
    /// <summary>The median: the middle value, or the mean of the two middle values of an even count.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

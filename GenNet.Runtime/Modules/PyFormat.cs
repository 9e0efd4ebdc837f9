using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GenNet.Modules;

/// <summary>How Python writes the values PyTorch's <c>extra_repr</c> formats: booleans, floats, ints and tuples.</summary>
internal static class PyFormat
{
    public static string Bool(bool value) => value ? "True" : "False";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A tuple as Python writes it: <c>(3,)</c>, <c>(3, 3)</c>.</summary>
    public static string Tuple(IReadOnlyList<long> values)
        => values.Count == 1 ? $"({Int(values[0])},)" : "(" + string.Join(", ", values.Select(Int)) + ")";

    /// <summary>A tuple of floats: <c>(2.0, 3.0)</c>.</summary>
    public static string Tuple(IReadOnlyList<double> values)
        => values.Count == 1 ? $"({Float(values[0])},)" : "(" + string.Join(", ", values.Select(Float)) + ")";

    /// <summary>
    /// A size PyTorch echoes as the user wrote it (<c>kernel_size=2</c> or <c>kernel_size=(3, 2)</c>). TorchSharp keeps
    /// every dimension, so equal dimensions print as one int (what a Python user writes for a square kernel).
    /// </summary>
    public static string AsGiven(IReadOnlyList<long> values)
        => values.Count > 0 && values.All(v => v == values[0]) ? Int(values[0]) : Tuple(values);

    /// <summary>A (height, width) pair echoed as given: <c>2</c> or <c>(2, 3)</c>.</summary>
    public static string AsGiven((long, long) pair) => AsGiven(new[] { pair.Item1, pair.Item2 });

    /// <summary>
    /// A number PyTorch echoes as the user wrote it where the PyTorch default is an int (Softplus's <c>beta=1</c>) or
    /// there is no default: Python's int when it is integral (<c>20</c>), otherwise its float (<c>0.5</c>). TorchSharp
    /// keeps a double, so whether the user wrote <c>20</c> or <c>20.0</c> is lost.
    /// </summary>
    public static string Number(double value)
        => Math.Abs(value) < 1e16 && value == Math.Floor(value) && !(value == 0 && double.IsNegative(value))
            ? Int((long)value)
            : Float(value);

    /// <summary>A number as Python's <c>repr(float)</c> writes it: <c>0.1</c>, <c>1e-05</c>, <c>1.0</c>, <c>1e+16</c>.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponent = 0;
        int e = shortest.IndexOfAny(new[] { 'E', 'e' });
        if (e >= 0)
        {
            exponent = int.Parse(shortest.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            shortest = shortest.Substring(0, e);
        }
        int dot = shortest.IndexOf('.');
        string whole = dot < 0 ? shortest : shortest.Substring(0, dot);
        string digits = whole + (dot < 0 ? "" : shortest.Substring(dot + 1));
        // value = 0.DIGITS × 10^point, as in Python's float formatting.
        int point = whole.Length + exponent;
        int leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Substring(leading).TrimEnd('0');
        point -= leading;
        if (digits.Length == 0)
            return sign + "0.0";
        if (point > -4 && point <= 16)
        {
            if (point <= 0)
                return sign + "0." + new string('0', -point) + digits;
            if (point >= digits.Length)
                return sign + digits + new string('0', point - digits.Length) + ".0";
            return sign + digits.Substring(0, point) + "." + digits.Substring(point);
        }
        int power = point - 1;
        string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits.Substring(1);
        return $"{sign}{mantissa}e{(power < 0 ? "-" : "+")}{Math.Abs(power):00}";
    }

    /// <summary>Python's <c>repr(str)</c> for the plain ASCII names PyTorch quotes (<c>'tanh'</c>).</summary>
    public static string Quote(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}

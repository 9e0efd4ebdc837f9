using System;
using System.Collections.Generic;
using System.Globalization;
using SkiaSharp;

namespace GenNet.Plotting;

/// <summary>matplotlib's colour names and its default line colour cycle (<c>tab10</c>).</summary>
internal static class PlotColors
{
    internal static readonly SKColor[] Cycle =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28), new(0x94, 0x67, 0xbd),
        new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f), new(0xbc, 0xbd, 0x22), new(0x17, 0xbe, 0xcf),
    ];

    private static readonly Dictionary<string, SKColor> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["white"] = SKColors.White, ["w"] = SKColors.White,
        ["black"] = SKColors.Black, ["k"] = SKColors.Black,
        ["red"] = new(0xff, 0, 0), ["r"] = new(0xff, 0, 0),
        ["green"] = new(0, 0x80, 0), ["g"] = new(0, 0x80, 0),
        ["blue"] = new(0, 0, 0xff), ["b"] = new(0, 0, 0xff),
        ["gray"] = new(0x80, 0x80, 0x80), ["grey"] = new(0x80, 0x80, 0x80),
        ["orange"] = new(0xff, 0xa5, 0),
        ["none"] = SKColors.Transparent, ["transparent"] = SKColors.Transparent,
        ["tab:blue"] = Cycle[0], ["tab:orange"] = Cycle[1], ["tab:green"] = Cycle[2], ["tab:red"] = Cycle[3], ["tab:purple"] = Cycle[4],
        ["tab:brown"] = Cycle[5], ["tab:pink"] = Cycle[6], ["tab:gray"] = Cycle[7], ["tab:olive"] = Cycle[8], ["tab:cyan"] = Cycle[9],
    };

    /// <summary>A name, <c>C0</c>–<c>C9</c> (the cycle), <c>#rgb</c>, <c>#rrggbb</c> or <c>#rrggbbaa</c>.</summary>
    internal static SKColor Parse(string color, string parameter)
    {
        ArgumentNullException.ThrowIfNull(color, parameter);
        if (Names.TryGetValue(color, out var named))
            return named;
        if (color.Length == 2 && color[0] is 'C' or 'c' && char.IsAsciiDigit(color[1]))
            return Cycle[color[1] - '0'];
        if (color.StartsWith('#') && color.Length is 4 or 7 or 9
            && uint.TryParse(color.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
        {
            return color.Length switch
            {
                4 => new SKColor((byte)(((hex >> 8) & 0xf) * 17), (byte)(((hex >> 4) & 0xf) * 17), (byte)((hex & 0xf) * 17)),
                7 => new SKColor((byte)(hex >> 16), (byte)(hex >> 8), (byte)hex),
                _ => new SKColor((byte)(hex >> 24), (byte)(hex >> 16), (byte)(hex >> 8), (byte)hex),
            };
        }
        throw new ArgumentException(
            $"Unknown colour '{color}': use a name (white, black, red, green, blue, gray, orange, tab:blue…), C0–C9, or #rrggbb.", parameter);
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GenNet.Plotting;

/// <summary>
/// Maps a value in [0, 1] to a colour, as matplotlib's colormaps do for one-channel images: 256 entries, entry
/// <c>floor(t · 256)</c> (1 maps to the last), the same bytes as matplotlib's <c>cmap(x, bytes=True)</c>.
/// </summary>
public sealed class Colormap
{
    // matplotlib's viridis, 256 RGB entries as hex, read from matplotlib 3.6's cmap(np.arange(256), bytes=True).
    private const string ViridisHex =
        "44015444025544035745055845065a45085b46095c460b5e460c5f460e61470f62471163471265471466471567471669"
        + "47186a48196b481a6c481c6e481d6f481e70482071482172482273482374472575472676472777472878472a79472b7a"
        + "472c7b462d7c462f7c46307d46317e45327f45347f453580453681443781443982433a83433b83433c84423d84423e85"
        + "4240854141864142864043874044873f45873f47883e48883e49893d4a893d4b893d4c893c4d8a3c4e8a3b508a3b518a"
        + "3a528b3a538b39548b39558b38568b38578c37588c37598c365a8c365b8c355c8c355d8c345e8d345f8d33608d33618d"
        + "32628d32638d31648d31658d31668d30678d30688d2f698d2f6a8d2e6b8e2e6c8e2e6d8e2d6e8e2d6f8e2c708e2c718e"
        + "2c728e2b738e2b748e2a758e2a768e2a778e29788e29798e287a8e287a8e287b8e277c8e277d8e277e8e267f8e26808e"
        + "26818e25828e25838d24848d24858d24868d23878d23888d23898d22898d228a8d228b8d218c8d218d8c218e8c208f8c"
        + "20908c20918c1f928c1f938b1f948b1f958b1f968b1e978a1e988a1e998a1e998a1e9a891e9b891e9c891e9d881e9e88"
        + "1e9f881ea0871fa1871fa2861fa38620a48520a58521a68521a78422a78423a88323a98224aa8225ab8126ac8127ad80"
        + "28ae7f29af7f2ab07e2bb17d2cb17d2eb27c2fb37b30b47a32b57a33b67935b77836b87738b97639b9763bba753dbb74"
        + "3ebc7340bd7242be7144be7045bf6f47c06e49c16d4bc26c4dc26b4fc36951c46853c56755c66657c66559c7645bc862"
        + "5ec96160c96062ca5f64cb5d67cc5c69cc5b6bcd596dce5870ce5672cf5574d05477d05279d1517cd24f7ed24e81d34c"
        + "83d34b86d44988d5478bd5468dd64490d64392d74195d73f97d83e9ad83c9dd93a9fd938a2da37a5da35a7db33aadb32"
        + "addc30afdc2eb2dd2cb5dd2bb7dd29bade27bdde26bfdf24c2df22c5df21c7e01fcae01ecde01dcfe11cd2e11bd4e11a"
        + "d7e219dae218dce218dfe318e1e318e4e318e7e419e9e419ece41aeee51bf1e51cf3e51ef6e61ff8e621fae622fde724";

    private static readonly Dictionary<string, Colormap> ByName = new(StringComparer.Ordinal);
    private static volatile Colormap _default;
    private readonly byte[] _rgb;

    private Colormap(string name, byte[] rgb)
    {
        Name = name;
        _rgb = rgb;
    }

    static Colormap()
    {
        var viridis = new byte[256 * 3];
        for (var i = 0; i < viridis.Length; i++)
            viridis[i] = byte.Parse(ViridisHex.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var gray = new byte[256 * 3];
        var grayReversed = new byte[256 * 3];
        for (var i = 0; i < 256; i++)
            for (var c = 0; c < 3; c++)
            {
                gray[3 * i + c] = (byte)i;
                grayReversed[3 * i + c] = (byte)(255 - i);
            }
        Viridis = Register("viridis", viridis);
        Gray = Register("gray", gray);
        GrayReversed = Register("gray_r", grayReversed);
        ByName["binary"] = GrayReversed;
        _default = Viridis;
    }

    private static Colormap Register(string name, byte[] rgb) => ByName[name] = new Colormap(name, rgb);

    /// <summary>matplotlib's default colormap, perceptually uniform from dark blue to yellow.</summary>
    public static Colormap Viridis { get; }

    /// <summary>Black (0) to white (1).</summary>
    public static Colormap Gray { get; }

    /// <summary>White (0) to black (1); also known by matplotlib's name <c>binary</c>.</summary>
    public static Colormap GrayReversed { get; }

    /// <summary>
    /// The colormap used when <see cref="Axes.ImShow"/> is given no <c>cmap</c>: matplotlib's
    /// <c>rcParams["image.cmap"]</c>, <see cref="Viridis"/> unless changed. Process-wide, like rcParams.
    /// </summary>
    public static Colormap Default
    {
        get => _default;
        set => _default = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The names <see cref="FromName"/> knows.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The colormap's name, as matplotlib spells it.</summary>
    public string Name { get; }

    /// <summary>The colormap called <paramref name="name"/> (matplotlib's names, case-sensitive as there).</summary>
    /// <exception cref="ArgumentException">No colormap has that name; the message lists the known ones.</exception>
    public static Colormap FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ByName.TryGetValue(name, out var map)
            ? map
            : throw new ArgumentException($"Unknown colormap '{name}'; known: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The colour of <paramref name="t"/> (clipped to [0, 1]) as red, green, blue bytes.</summary>
    public (byte R, byte G, byte B) Map(double t)
    {
        var i = LookupIndex(t);
        return (_rgb[3 * i], _rgb[3 * i + 1], _rgb[3 * i + 2]);
    }

    internal static int LookupIndex(double t)
    {
        if (!(t > 0)) return 0;
        if (t >= 1) return 255;
        return Math.Min(255, (int)(t * 256));
    }

    internal ReadOnlySpan<byte> Table => _rgb;

    /// <inheritdoc/>
    public override string ToString() => Name;
}

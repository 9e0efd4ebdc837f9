using GenNet.Generators.Delegates;
using GenNet.Generators.Module;
using GenNet.Tests.Generators.Harness;
using Xunit;

namespace GenNet.Tests.Generators.Delegates;

/// <summary>
/// A corpus of awkward defaults: each target's optional parameters go through the generated overload and bag, which must
/// compile and, at run time, hand the target exactly what a direct call would (its defaults when nothing is named,
/// the named values otherwise).
/// </summary>
public sealed class DelegatesOddDefaultsTests
{
    /// <summary>
    /// Targets whose parameters cover every primitive type's default and extremes, enum flag combinations and values
    /// without a member, <c>default</c> of structs and tuples, nullables, NaN and infinities, negative zero, and char and
    /// string escapes. Each target prints what it received, so a direct call and a forwarded one can be compared.
    /// </summary>
    private const string Corpus = """
        using System;
        using System.Globalization;
        using System.Linq;
        using GenNet;

        namespace Odd
        {
            [Flags] public enum Access : byte { None = 0, Read = 1, Write = 2, Exec = 4, All = Read | Write | Exec }
            public enum Signed : short { Low = -3, Zero = 0 }
            public enum Big : ulong { Top = ulong.MaxValue }
            public struct Point { public int X; public override string ToString() => "P" + X; }

            public static class Targets
            {
                public static string Show(params object?[] values)
                    => string.Join("|", values.Select(v => v switch
                    {
                        null => "null",
                        float f => f.ToString("R", CultureInfo.InvariantCulture),
                        double d => d.ToString("R", CultureInfo.InvariantCulture),
                        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                        _ => v.ToString(),
                    }));

                public static string Integers(int required,
                    byte b = 255, sbyte sb = -128, short s = -32768, ushort us = 65535, byte b0 = 0, short s1 = 1,
                    int i = int.MinValue, uint ui = uint.MaxValue, long l = long.MinValue, ulong ul = ulong.MaxValue,
                    nint ni = -5, nuint nu = 5, char c = '\'', char c0 = '\0', char cu = '\u263A', bool t = true, bool f = false)
                    => Show(required, b, sb, s, us, b0, s1, i, ui, l, ul, ni, nu, (int)c, (int)c0, (int)cu, t, f);

                public static string Floats(int required,
                    float fn = float.NaN, float fp = float.PositiveInfinity, double dn = double.NegativeInfinity, double dnan = double.NaN,
                    double dz = -0.0, float fz = -0.0f, double eps = double.Epsilon, float fmax = float.MaxValue, double tenth = 0.1,
                    float third = 1f / 3, decimal m = 1.5m, decimal mmax = decimal.MaxValue, decimal mmin = -0.0001m)
                    => Show(required, fn, fp, dn, dnan, dz, fz, eps, fmax, tenth, third, m, mmax, mmin);

                public static string Texts(int required,
                    string quoted = "tab\t\"q\"\\ \r\n\0 \u00e9 \U0001F600 {braces}", string empty = "", string? none = null, object? obj = null)
                    => Show(required, quoted, empty, none, obj);

                public static string Enums(int required,
                    Access two = Access.Read | Access.Exec, Access none = Access.None, Access all = Access.All, Access stray = (Access)200,
                    Signed low = Signed.Low, Signed unnamed = (Signed)(-7), Big top = Big.Top, Access? nullableFlag = Access.Write | Access.Read)
                    => Show(required, (byte)two, (byte)none, (byte)all, (byte)stray, (short)low, (short)unnamed, (ulong)top, nullableFlag.HasValue ? (byte)nullableFlag.Value : -1);

                public static string Structs(int required,
                    Point p = default, (int, string) tuple = default, (int A, Point B)? namedTuple = null, DateTime when = default,
                    Guid id = default, System.Threading.CancellationToken token = default, Point np = new Point(), decimal dm = default)
                    => Show(required, p, tuple.Item1, tuple.Item2, namedTuple.HasValue, when.Ticks, id, token.CanBeCanceled, np, dm);

                public static string Nullables(int required,
                    int? ni = null, byte? nb = 7, sbyte? nsb = -1, short? ns = 300, ushort? nus = 9, double? nd = double.NaN,
                    float? nf = float.NegativeInfinity, char? nc = 'x', bool? nbool = false, long? nl = -1L, Point? np = null, decimal? nm = 2.5m)
                    => Show(required, ni, nb, nsb, ns, nus, nd, nf, nc, nbool, nl, np, nm);
            }

            public static partial class Wrappers
            {
                [Delegates(typeof(Targets), nameof(Targets.Integers))] public static string Integers(int required, IntegersKwargs kwargs = default) => kwargs.Integers(required);
                [Delegates(typeof(Targets), nameof(Targets.Floats))] public static string Floats(int required, FloatsKwargs kwargs = default) => kwargs.Floats(required);
                [Delegates(typeof(Targets), nameof(Targets.Texts))] public static string Texts(int required, TextsKwargs kwargs = default) => kwargs.Texts(required);
                [Delegates(typeof(Targets), nameof(Targets.Enums))] public static string Enums(int required, EnumsKwargs kwargs = default) => kwargs.Enums(required);
                [Delegates(typeof(Targets), nameof(Targets.Structs))] public static string Structs(int required, StructsKwargs kwargs = default) => kwargs.Structs(required);
                [Delegates(typeof(Targets), nameof(Targets.Nullables))] public static string Nullables(int required, NullablesKwargs kwargs = default) => kwargs.Nullables(required);
                // Keep = true compares each named value with the default (the Merge method), another place a default is written.
                [Delegates(typeof(Targets), nameof(Targets.Integers), Keep = true)] public static string KeptIntegers(int required, KeptIntegersKwargs kwargs = default) => kwargs.Integers(required);
                [Delegates(typeof(Targets), nameof(Targets.Nullables), Keep = true)] public static string KeptNullables(int required, KeptNullablesKwargs kwargs = default) => kwargs.Nullables(required);
                [Delegates(typeof(Targets), nameof(Targets.Floats), Keep = true)] public static string KeptFloats(int required, KeptFloatsKwargs kwargs = default) => kwargs.Floats(required);
            }

            /// <summary>Pairs of calls that must print the same: (through the wrapper, direct).</summary>
            public static class Calls
            {
                public static (string, string)[] Pairs() => new[]
                {
                    (Wrappers.Integers(1), Targets.Integers(1)),
                    (Wrappers.KeptIntegers(1), Targets.Integers(1)),
                    (Wrappers.Integers(2, b: 3, us: 4, c: 'z', ni: 6, t: false), Targets.Integers(2, b: 3, us: 4, c: 'z', ni: 6, t: false)),
                    (Wrappers.KeptIntegers(2, sb: 5, s: -9), Targets.Integers(2, sb: 5, s: -9)),
                    (Wrappers.KeptIntegers(2, new Wrappers.KeptIntegersKwargs { B = 1, Ul = 2 }), Targets.Integers(2, b: 1, ul: 2)),
                    (Wrappers.Floats(1), Targets.Floats(1)),
                    (Wrappers.KeptFloats(1), Targets.Floats(1)),
                    (Wrappers.Floats(2, fn: 1.5f, dz: 0.0, m: 3m), Targets.Floats(2, fn: 1.5f, dz: 0.0, m: 3m)),
                    (Wrappers.Texts(1), Targets.Texts(1)),
                    (Wrappers.Texts(2, quoted: "x", none: "y", obj: 4), Targets.Texts(2, quoted: "x", none: "y", obj: 4)),
                    (Wrappers.Enums(1), Targets.Enums(1)),
                    (Wrappers.Enums(2, two: Access.Write, nullableFlag: null), Targets.Enums(2, two: Access.Write, nullableFlag: null)),
                    (Wrappers.Structs(1), Targets.Structs(1)),
                    (Wrappers.Structs(2, p: new Point { X = 3 }, tuple: (4, "four")), Targets.Structs(2, p: new Point { X = 3 }, tuple: (4, "four"))),
                    (Wrappers.Nullables(1), Targets.Nullables(1)),
                    (Wrappers.KeptNullables(1), Targets.Nullables(1)),
                    (Wrappers.Nullables(2, nb: null, nd: 1.0, np: new Point { X = 1 }), Targets.Nullables(2, nb: null, nd: 1.0, np: new Point { X = 1 })),
                    (Wrappers.KeptNullables(2, ni: 4, nc: null), Targets.Nullables(2, ni: 4, nc: null)),
                };
            }
        }
        """;

    // One compilation for the class: an assembly loads into the default context once per name.
    private static readonly System.Lazy<GeneratorRun> CorpusRun = new(() => GeneratorHarness.Run(
        GeneratorHarness.CreateCompilation(new[] { Corpus }, assemblyName: "GenNet.OddDefaultsCorpus"), new DelegatesGenerator()));

    private static readonly System.Lazy<(string Wrapped, string Direct)[]> CorpusCalls = new(() =>
        (System.ValueTuple<string, string>[])CorpusRun.Value.EmitAndLoad().GetType("Odd.Calls")!.GetMethod("Pairs")!.Invoke(null, null)!);

    [Fact]
    public void OddDefaultsCompileAndForwardTheTargetsValues()
    {
        var run = CorpusRun.Value;

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        var pairs = CorpusCalls.Value;
        Assert.Equal(18, pairs.Length);
        Assert.All(pairs, pair => Assert.Equal(pair.Direct, pair.Wrapped));
    }

    [Fact]
    public void TheDefaultsPrintedAreTheTargetsOwn()
    {
        // Guards the comparison above: a direct call really does see the extremes the corpus declares.
        var pairs = CorpusCalls.Value;

        Assert.Equal("1|255|-128|-32768|65535|0|1|-2147483648|4294967295|-9223372036854775808|18446744073709551615|-5|5|39|0|9786|True|False", pairs[0].Item1);
        Assert.Equal("1|NaN|Infinity|-Infinity|NaN|-0|-0|5E-324|3.4028235E+38|0.1|0.33333334|1.5|79228162514264337593543950335|-0.0001", pairs[5].Item1);
        Assert.Equal("1|5|0|7|200|-3|-7|18446744073709551615|3", pairs[10].Item1);
    }

    [Fact]
    public void SmallIntegerDefaultsAreTypedInTheBag()
    {
        // CS0266 regression: `_bSet ? _b : 255` is an int; the bag's getter must read `(byte)255`.
        string bag = CorpusRun.Value.Generated["Odd.Wrappers.Integers.Delegates.g.cs"];

        Assert.Contains("get => _bSet ? _b : (byte)255;", bag);
        Assert.Contains("get => _sbSet ? _sb : (sbyte)(-128);", bag);
        Assert.Contains("byte b = 255,", bag); // the signature keeps the literal as written
    }

    [Fact]
    public void BothGeneratorsStampTheirAssemblyVersion()
    {
        const string module = """
            using GenNet; using TorchSharp; using static TorchSharp.torch;
            namespace M { [Module] public partial class Tiny : nn.Module<Tensor, Tensor> { public Tiny() : base("Tiny") { } public override Tensor forward(Tensor x) => x; } }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Corpus, module }), new DelegatesGenerator(), new ModuleGenerator());
        string version = typeof(DelegatesGenerator).Assembly.GetName().Version!.ToString();

        Assert.Contains($"GeneratedCode(\"GenNet.Generators.Delegates\", \"{version}\")", run.Generated["Odd.Wrappers.Texts.Delegates.g.cs"]);
        Assert.Contains($"GeneratedCode(\"GenNet.Generators\", \"{version}\")", run.Generated["M.Tiny.Module.g.cs"]);
        Assert.DoesNotContain("\"1.0\"", string.Concat(run.Generated.Values));
    }
}

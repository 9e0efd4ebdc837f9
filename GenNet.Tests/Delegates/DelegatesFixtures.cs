using System.Linq;
using TorchSharp;
using TorchSharp.Modules;

namespace GenNet.Tests.Delegates;

// Targets and [Delegates] wrappers compiled into the test assembly itself, which consumes the generator as an analyzer:
// the tests below call the generated overloads exactly as user code would.

/// <summary>A shade, to check that enum defaults are forwarded.</summary>
public enum Shade
{
    /// <summary>Light.</summary>
    Light,
    /// <summary>Dark.</summary>
    Dark,
    /// <summary>Chosen automatically.</summary>
    Auto,
}

/// <summary>Every value a target received, so a test can compare what arrived with what was sent.</summary>
public sealed record Received(int Required, string? Name, double Scale, Shade Shade, int? Limit, decimal Money, char Separator, float Ratio, long Big, string Tag);

/// <summary>Targets with optional parameters of many kinds: static, instance and generic.</summary>
public sealed class Targets(string prefix)
{
    /// <summary>A static target.</summary>
    /// <param name="required">Required: never delegated.</param>
    /// <param name="name">A name.</param>
    /// <param name="scale">A scale.</param>
    /// <param name="shade">A shade.</param>
    /// <param name="limit">An optional limit.</param>
    /// <param name="money">An amount.</param>
    /// <param name="separator">A separator.</param>
    /// <param name="ratio">A ratio.</param>
    /// <param name="big">A large number.</param>
    /// <returns>What arrived.</returns>
    public static Received Static(int required, string? name = "n", double scale = 2.5, Shade shade = Shade.Dark, int? limit = null,
        decimal money = 1.5m, char separator = ';', float ratio = 0.25f, long big = 1L << 40)
        => new(required, name, scale, shade, limit, money, separator, ratio, big, "static");

    /// <summary>An instance target.</summary>
    /// <param name="required">Required.</param>
    /// <param name="name">A name.</param>
    /// <param name="scale">A scale.</param>
    /// <returns>What arrived, tagged with the instance's prefix.</returns>
    public Received Instance(int required, string? name = "i", double scale = -1.0)
        => new(required, name, scale, Shade.Auto, null, 0m, ' ', 0f, 0L, prefix);

    /// <summary>A generic target.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value to repeat.</param>
    /// <param name="times">How many times.</param>
    /// <param name="separator">What goes between repetitions.</param>
    /// <returns>The repetitions.</returns>
    public static string Generic<T>(T value, int times = 2, string separator = "+") where T : notnull
        => string.Join(separator, Enumerable.Repeat(value.ToString(), times));
}

/// <summary>A generic type whose methods use its type parameter.</summary>
/// <typeparam name="T">The item type.</typeparam>
public static class Box<T>
{
    /// <summary>Describes an item.</summary>
    /// <param name="item">The item.</param>
    /// <param name="fallback">Shown when the item is the type's default.</param>
    /// <param name="width">Padding width.</param>
    /// <returns>The description.</returns>
    public static string Describe(T item, T? fallback = default, int width = 4)
        => $"{(System.Collections.Generic.EqualityComparer<T>.Default.Equals(item, default!) ? fallback : item)}".PadLeft(width, '.');
}

/// <summary>Wrappers over <see cref="Targets"/> and TorchSharp.</summary>
public static partial class Wrappers
{
    /// <summary>Declares <c>name</c> itself (with another default), so the target's <c>name</c> is not delegated.</summary>
    /// <param name="required">Passed on.</param>
    /// <param name="name">The wrapper's own name parameter.</param>
    /// <param name="kwargs">The delegated values.</param>
    /// <returns>What the target received.</returns>
    [Delegates(typeof(Targets), nameof(Targets.Static))]
    public static Received CallStatic(int required, string? name = "wrapper", CallStaticKwargs kwargs = default)
        => kwargs.Static(required, name);

    /// <summary>Delegates to an instance method.</summary>
    /// <param name="targets">The instance.</param>
    /// <param name="required">Passed on.</param>
    /// <param name="kwargs">The delegated values.</param>
    /// <returns>What the target received.</returns>
    [Delegates(typeof(Targets), nameof(Targets.Instance))]
    public static Received CallInstance(Targets targets, int required, CallInstanceKwargs kwargs = default)
        => kwargs.Instance(targets, required);

    /// <summary>A generic wrapper over a generic target.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="kwargs">The delegated values.</param>
    /// <returns>The target's result in brackets.</returns>
    [Delegates(typeof(Targets), nameof(Targets.Generic))]
    public static string Repeat<T>(T value, RepeatKwargs kwargs = default) where T : notnull
        => "[" + kwargs.Generic(value) + "]";

    /// <summary>Delegates to a method of a constructed generic type, whose T-typed parameter becomes an int.</summary>
    /// <param name="item">The item.</param>
    /// <param name="kwargs">The delegated values.</param>
    /// <returns>The description.</returns>
    [Delegates(typeof(Box<int>), nameof(Box<int>.Describe))]
    public static string DescribeInt(int item, DescribeIntKwargs kwargs = default) => kwargs.Describe(item);

    /// <summary>Keeps its bag on the generated overload too (fastcore's keep).</summary>
    /// <param name="required">Passed on.</param>
    /// <param name="kwargs">The delegated values.</param>
    /// <returns>What the target received.</returns>
    [Delegates(typeof(Targets), nameof(Targets.Static), Keep = true, But = new[] { "big" })]
    public static Received CallKeep(int required, CallKeepKwargs kwargs = default)
        => kwargs.Static(required);

    /// <summary>Delegates to a TorchSharp factory in a referenced assembly.</summary>
    /// <param name="inputSize">Input features.</param>
    /// <param name="outputSize">Output features.</param>
    /// <param name="kwargs">The delegated values.</param>
    /// <returns>The layer.</returns>
    [Delegates(typeof(torch.nn), nameof(torch.nn.Linear), ParameterTypes = new[] { typeof(long), typeof(long) })]
    public static Linear Dense(long inputSize, long outputSize, DenseKwargs kwargs = default)
        => kwargs.Linear(inputSize, outputSize);
}

/// <summary>A chain A → B → C in one type, like the lesson's get_grid → subplots → plt.subplots.</summary>
public static partial class Chain
{
    /// <summary>The end of the chain.</summary>
    /// <param name="x">Required.</param>
    /// <param name="c1">C's first option.</param>
    /// <param name="c2">C's second option.</param>
    /// <returns>The values, joined.</returns>
    public static string C(int x, int c1 = 1, string c2 = "c") => $"{x}:{c1}:{c2}";

    /// <summary>Delegates to <see cref="C"/>.</summary>
    /// <param name="x">Passed on.</param>
    /// <param name="b1">B's own option.</param>
    /// <param name="kwargs">C's options.</param>
    /// <returns>C's result and b1.</returns>
    [Delegates(nameof(C))]
    public static string B(int x, int b1 = 10, BKwargs kwargs = default) => kwargs.C(x) + $":{b1}";

    /// <summary>Delegates to <see cref="B(int, int, BKwargs)"/>, so it gains B's option and C's.</summary>
    /// <param name="a1">A's own option, also B's x.</param>
    /// <param name="kwargs">B's and C's options.</param>
    /// <returns>B's result and a1.</returns>
    [Delegates(nameof(B))]
    public static string A(int a1 = 100, AKwargs kwargs = default) => kwargs.B(a1) + $":{a1}";
}

/// <summary>An instance wrapper delegating to an instance method of its own type.</summary>
public sealed partial class Greeter
{
    /// <summary>The greeting word.</summary>
    public string Greeting { get; init; } = "Hello";

    /// <summary>Greets.</summary>
    /// <param name="name">Who.</param>
    /// <param name="punctuation">How it ends.</param>
    /// <param name="repeat">How many times.</param>
    /// <returns>The greeting.</returns>
    public string Greet(string name, string punctuation = "!", int repeat = 1)
        => string.Concat(Enumerable.Repeat($"{Greeting}, {name}{punctuation}", repeat));

    /// <summary>Greets, louder.</summary>
    /// <param name="name">Who.</param>
    /// <param name="kwargs">Greet's options.</param>
    /// <returns>The greeting in capitals.</returns>
    [Delegates(nameof(Greet))]
    public string GreetLoudly(string name, GreetLoudlyKwargs kwargs = default) => kwargs.Greet(this, name).ToUpperInvariant();
}

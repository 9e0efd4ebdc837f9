using System;

namespace GenNet;

/// <summary>
/// Makes the annotated method accept, by name, every optional parameter of a target method and forward them to it —
/// the compile-time counterpart of fastcore's <c>@delegates</c> and Python's <c>**kwargs</c>. The method must be in a
/// partial type and end with a parameter <c>{Method}Kwargs kwargs = default</c>; GenNet's generator then emits
/// <list type="bullet">
/// <item>an overload with the method's own parameters followed by the target's optional parameters that the method
/// does not declare itself (names, types, defaults and documentation of the target), which callers use:
/// <c>ShowImage(img, title: "boot", cmap: "gray")</c>; a misspelt name is a compile error at the call site;</item>
/// <item>the bag type <c>{Method}Kwargs</c>, whose method named after the target calls it with every delegated value,
/// so the body forwards them in one call: <c>kwargs.ImShow(ax, image)</c>.</item>
/// </list>
/// A value the caller does not pass is the target's default. Chains work: a target that has <c>[Delegates]</c> itself
/// brings the parameters it gained too.
/// </summary>
/// <example>
/// <code>
/// public static partial class Plot
/// {
///     [Delegates(typeof(Axes), nameof(Axes.ImShow))]
///     public static Axes ShowImage(Tensor image, Axes? ax = null, string? title = null, ShowImageKwargs kwargs = default)
///     {
///         ax ??= new Axes();
///         kwargs.ImShow(ax, image);   // forwards cmap, vmin, vmax, … whatever the caller named
///         if (title is not null) ax.SetTitle(title);
///         return ax;
///     }
/// }
/// // callers: Plot.ShowImage(img, title: "boot", cmap: "gray");
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DelegatesAttribute : Attribute
{
    /// <summary>Delegates to the method named <paramref name="methodName"/> of <paramref name="targetType"/>.</summary>
    /// <param name="targetType">The type that declares the target method (for a generic type, a constructed one).</param>
    /// <param name="methodName">The target method's name; use <c>nameof</c>.</param>
    public DelegatesAttribute(Type targetType, string methodName)
    {
        TargetType = targetType;
        MethodName = methodName;
    }

    /// <summary>Delegates to the method named <paramref name="methodName"/> of the annotated method's own type.</summary>
    /// <param name="methodName">The target method's name; use <c>nameof</c>.</param>
    public DelegatesAttribute(string methodName)
    {
        MethodName = methodName;
    }

    /// <summary>The type that declares the target, or null for the annotated method's own type.</summary>
    public Type? TargetType { get; }

    /// <summary>The target method's name.</summary>
    public string MethodName { get; }

    /// <summary>
    /// Target parameters not to delegate (fastcore's <c>but</c>): they are not added to the generated overload, and
    /// the bag's forwarding method takes them as arguments instead (with the target's defaults).
    /// </summary>
    public string[]? But { get; set; }

    /// <summary>
    /// Chooses among overloads of the target: the leading parameter types of the one to delegate to (as many as
    /// tell it apart), e.g. <c>new[] { typeof(long), typeof(long), typeof(long), typeof(long) }</c>. An overloaded
    /// target without it is compile error GN0101, which lists the candidates.
    /// </summary>
    public Type[]? ParameterTypes { get; set; }

    /// <summary>
    /// Keeps the wrapper's open-ended extension point, its <c>kwargs</c> bag, on the generated overload too
    /// (fastcore's <c>keep</c>): callers may then name delegated values and also pass a prepared bag, e.g. one a
    /// caller of their own forwards. A value both named (with a value other than the target's default) and set in
    /// the bag throws <see cref="ArgumentException"/>, as Python does for a keyword given twice.
    /// </summary>
    public bool Keep { get; set; }
}

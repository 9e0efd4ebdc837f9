using System;

namespace GenNet;

/// <summary>
/// Makes the annotated method accept, by name, every optional parameter of a target method and forward them to it —
/// the compile-time counterpart of fastcore's <c>@delegates</c> and Python's <c>**kwargs</c>. The generated surface
/// carries the target's parameter names, types, defaults and documentation, and a misspelt keyword is a compile error
/// at the call site.
/// </summary>
/// <example>
/// <code>
/// [Delegates(typeof(Plot), nameof(Plot.ImShow))]
/// public static partial void ShowImage(Tensor image, string? title = null);
/// // callers: ShowImage(img, title: "boot", cmap: "gray");
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DelegatesAttribute : Attribute
{
    /// <summary>Delegates to the method named <paramref name="methodName"/> of <paramref name="targetType"/>.</summary>
    /// <param name="targetType">The type that declares the target method.</param>
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

    /// <summary>Target parameters not to delegate (fastcore's <c>but</c>).</summary>
    public string[]? But { get; set; }

    /// <summary>
    /// Keep the wrapper's own open-ended extension point (fastcore's <c>keep</c>): the annotated method keeps its
    /// catch-all parameter as well as gaining the target's.
    /// </summary>
    public bool Keep { get; set; }
}

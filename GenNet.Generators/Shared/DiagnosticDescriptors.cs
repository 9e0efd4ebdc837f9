using Microsoft.CodeAnalysis;

namespace GenNet.Generators.Shared;

/// <summary>
/// Every diagnostic GenNet's generators report, in one place. IDs: GN0001–GN0099 for [Module], GN0100–GN0199 for
/// [Delegates], GN0900+ for internal errors (the generator never throws; an unexpected failure becomes a diagnostic).
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string HelpLinkBase = "https://github.com/gennet/gennet/blob/main/docs/diagnostics.md#";

    internal static DiagnosticDescriptor Create(string id, string category, string title, string message, string description,
        DiagnosticSeverity severity = DiagnosticSeverity.Error)
        => new(id, title, message, category, severity, isEnabledByDefault: true, description: description,
            helpLinkUri: HelpLinkBase + id.ToLowerInvariant());

    #region [Module] (GN0001–GN0099)
    #endregion

    #region [Delegates] (GN0100–GN0199)
    private const string DelegatesCategory = "GenNet.Delegates";

    /// <summary>GN0100: the [Delegates] target type has no method of that name.</summary>
    public static readonly DiagnosticDescriptor DelegatesTargetNotFound = Create(
        "GN0100", DelegatesCategory, "[Delegates] target not found",
        "'{0}' has no method named '{1}' for [Delegates] to delegate to",
        "The type and method name given to [Delegates] must name an existing method; use typeof(...) and nameof(...) so the compiler checks them.");

    /// <summary>GN0101: the target name matches several overloads.</summary>
    public static readonly DiagnosticDescriptor DelegatesAmbiguousTarget = Create(
        "GN0101", DelegatesCategory, "[Delegates] target is ambiguous",
        "'{0}' has {1} overloads that [Delegates] could delegate to: {2}; choose one with ParameterTypes = new[] {{ typeof(...), ... }} (its leading parameter types)",
        "[Delegates] forwards to exactly one method. When the name is overloaded, ParameterTypes lists the leading parameter types of the one to use.");

    /// <summary>GN0102: the target is not accessible from the wrapper.</summary>
    public static readonly DiagnosticDescriptor DelegatesInaccessibleTarget = Create(
        "GN0102", DelegatesCategory, "[Delegates] target is inaccessible",
        "'{0}' is not accessible from '{1}', so '{2}' cannot delegate to it",
        "The generated code calls the target from the wrapper's type, so the target must be accessible there.");

    /// <summary>GN0103: the wrapper's type (or a type containing it) is not partial.</summary>
    public static readonly DiagnosticDescriptor DelegatesWrapperNotInPartialType = Create(
        "GN0103", DelegatesCategory, "[Delegates] method must be in a partial type",
        "'{0}' has [Delegates], so '{1}' must be declared partial (with every type that contains it)",
        "The generator adds an overload and a bag type next to the wrapper, which needs the wrapper's type and its containing types to be partial.");

    /// <summary>GN0104: a wrapper parameter has a target parameter's name but a different type.</summary>
    public static readonly DiagnosticDescriptor DelegatesParameterTypeClash = Create(
        "GN0104", DelegatesCategory, "[Delegates] parameter type clash",
        "Parameter '{0}' of '{1}' is '{2}', but the parameter '{0}' of '{3}' it stands for is '{4}'",
        "A wrapper parameter named like a target parameter replaces it (fastcore's rule) and the wrapper passes it on itself, so both must have the same type; rename one or change the type.");

    /// <summary>GN0105: a target parameter cannot be delegated (ref/out/in, type depending on the target's type parameters, inexpressible default).</summary>
    public static readonly DiagnosticDescriptor DelegatesUnsupportedParameter = Create(
        "GN0105", DelegatesCategory, "[Delegates] parameter kind not supported",
        "Parameter '{0}' of '{1}' cannot be delegated: {2}",
        "[Delegates] adds the target's optional parameters as ordinary by-value parameters after the wrapper's own ones. ref, out and in parameters, types that use the target's type parameters, and defaults C# cannot write are not supported; exclude such a target parameter with But, or declare it on the wrapper. A params array on the wrapper is GN0106, since it would take the last place, which the kwargs parameter needs.");

    /// <summary>GN0106: the wrapper has no bag parameter to receive the delegated values.</summary>
    public static readonly DiagnosticDescriptor DelegatesMissingBagParameter = Create(
        "GN0106", DelegatesCategory, "[Delegates] method needs a kwargs parameter",
        "'{0}' must end with a parameter '{1} kwargs = default' that receives the delegated values (the generator declares '{1}')",
        "The wrapper's body forwards the delegated values through its last parameter, of the generated type {Method}Kwargs, e.g. `kwargs.Target(x)`. It must be last, so a wrapper cannot also have a params array: take an array or a collection instead.");

    /// <summary>GN0107: the wrapper's shape is not supported.</summary>
    public static readonly DiagnosticDescriptor DelegatesUnsupportedWrapper = Create(
        "GN0107", DelegatesCategory, "[Delegates] method shape not supported",
        "'{0}' cannot use [Delegates]: {1}",
        "Some wrapper shapes cannot be given a generated overload; the message says which and why.");

    /// <summary>GN0108: a chain of [Delegates] leads back to the wrapper.</summary>
    public static readonly DiagnosticDescriptor DelegatesCycle = Create(
        "GN0108", DelegatesCategory, "[Delegates] chain is a cycle",
        "'{0}' delegates to itself through {1}",
        "A wrapper gains its target's parameters, including those the target gains from its own target, so the chain must end.");

    /// <summary>GN0109: But names a parameter the target does not have (a warning: nothing breaks, but it is likely a typo).</summary>
    public static readonly DiagnosticDescriptor DelegatesUnknownExcludedParameter = Create(
        "GN0109", DelegatesCategory, "[Delegates] But names an unknown parameter",
        "But names '{0}', which is not a parameter of '{1}'",
        "Every name in But should be a parameter of the target; a name that is not is probably misspelt and excludes nothing.",
        DiagnosticSeverity.Warning);
    #endregion

    #region Internal (GN0900+)
    /// <summary>GN0900: the generator hit an unexpected error; reported instead of crashing the compiler.</summary>
    public static readonly DiagnosticDescriptor InternalError = Create(
        "GN0900", "GenNet.Generators", "GenNet generator failed",
        "GenNet's {0} generator could not process '{1}': {2}",
        "An unexpected error occurred in a GenNet source generator. The generator reports it instead of failing the build; please report it with the code that triggers it.");
    #endregion
}

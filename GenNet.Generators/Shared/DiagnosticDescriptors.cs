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
    #endregion

    #region Internal (GN0900+)
    /// <summary>GN0900: the generator hit an unexpected error; reported instead of crashing the compiler.</summary>
    public static readonly DiagnosticDescriptor InternalError = Create(
        "GN0900", "GenNet.Generators", "GenNet generator failed",
        "GenNet's {0} generator could not process '{1}': {2}",
        "An unexpected error occurred in a GenNet source generator. The generator reports it instead of failing the build; please report it with the code that triggers it.");
    #endregion
}

using Microsoft.CodeAnalysis;

namespace GenNet.Generators.Shared;

/// <summary>How the generators spell types in emitted code.</summary>
internal static class SymbolFormats
{
    /// <summary><c>global::</c>-qualified names with nullable annotations kept, so emitted code binds exactly as written.</summary>
    public static readonly SymbolDisplayFormat FullyQualifiedWithNullability = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);
}

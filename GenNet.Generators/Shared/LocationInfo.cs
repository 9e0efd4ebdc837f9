using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GenNet.Generators.Shared;

/// <summary>A <see cref="Location"/> held by value, so models that carry one stay equatable and cacheable.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

    public static LocationInfo? From(Location? location)
        => location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxNode node) => From(node.GetLocation());
}

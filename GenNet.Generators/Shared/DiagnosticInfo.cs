using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace GenNet.Generators.Shared;

/// <summary>
/// A diagnostic held by value (descriptor, location, message arguments as strings), so it can travel through the
/// cached pipeline and be reported in the output step.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params object?[] arguments)
        => new(descriptor, LocationInfo.From(location), arguments.Select(a => a?.ToString() ?? "").ToEquatableArray());

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location?.ToLocation(), Arguments.Select(a => (object)a).ToArray());

    public bool Equals(DiagnosticInfo? other)
        => other is not null && Descriptor.Id == other.Descriptor.Id && Equals(Location, other.Location) && Arguments == other.Arguments;

    public override int GetHashCode() => unchecked((Descriptor.Id.GetHashCode() * 397) ^ Arguments.GetHashCode());
}

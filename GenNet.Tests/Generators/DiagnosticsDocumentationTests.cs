using System.IO;
using System.Linq;
using System.Reflection;
using GenNet.Generators.Shared;
using GenNet.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GenNet.Tests.Generators;

/// <summary>Every diagnostic's help link leads to a section of docs/diagnostics.md that explains it.</summary>
public sealed class DiagnosticsDocumentationTests
{
    [Fact]
    public void EveryDescriptorHasAHelpLinkAndADocumentedSection()
    {
        var descriptors = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();
        string doc = File.ReadAllText(Path.Combine(ProcessRunner.RepositoryRoot(), "docs", "diagnostics.md"));

        Assert.NotEmpty(descriptors);
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        foreach (var descriptor in descriptors)
        {
            Assert.EndsWith("docs/diagnostics.md#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
            Assert.Contains($"## {descriptor.Id}\n\n**{descriptor.Title}**", doc);
        }
    }
}

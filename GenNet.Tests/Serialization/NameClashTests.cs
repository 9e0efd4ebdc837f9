using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace GenNet.Tests.Serialization;

/// <summary>
/// Users write <c>using TorchSharp; using TorchSharp.Modules; using static TorchSharp.torch;</c> next to GenNet's
/// namespaces: no public GenNet type may share a simple name (and generic arity) with a type those make reachable.
/// </summary>
public sealed class NameClashTests
{
    private static IEnumerable<Type> NestedTypes(Type type) =>
        type.GetNestedTypes(BindingFlags.Public).SelectMany(t => NestedTypes(t).Prepend(t));

    [Fact]
    public void NoCheckpointOrSerializationTypeSharesANameWithATypeReachableThroughTheUsualTorchSharpImports()
    {
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        var reachable = torchSharp.GetExportedTypes()
            .Where(t => !t.IsNested && t.Namespace is "TorchSharp" or "TorchSharp.Modules")
            .Concat(NestedTypes(typeof(TorchSharp.torch)))
            .Select(t => t.Name)
            .ToHashSet(StringComparer.Ordinal);
        // This area's types; other areas check theirs (some were being renamed when this test was written).
        var gennet = typeof(GenNet.Serialization.SafeTensors).Assembly.GetExportedTypes()
            .Where(t => !t.IsNested && (t.Namespace == "GenNet.Serialization" || t == typeof(GenNet.Training.TrainingPosition)
                        || t == typeof(GenNet.Training.StopAfterBatchCallback) || t == typeof(GenNet.Training.Checkpoint)))
            .ToList();
        var clashes = gennet.Where(t => reachable.Contains(t.Name)).Select(t => t.FullName).ToList();
        Assert.True(clashes.Count == 0, "clashing names: " + string.Join(", ", clashes));
        Assert.Equal(11, gennet.Count);
    }
}

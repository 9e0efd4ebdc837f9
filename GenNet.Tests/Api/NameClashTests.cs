using System;
using System.Collections.Generic;
using System.Linq;
using GenNet.Training;
using Xunit;
using TorchSharp;

namespace GenNet.Tests.Api;

/// <summary>
/// Users write <c>using TorchSharp; using TorchSharp.Modules; using static TorchSharp.torch;</c> (the last for
/// <c>Tensor</c> and <c>nn</c>) next to GenNet's namespaces; any GenNet type whose simple name and generic arity equal a
/// type those imports reach is a CS0104 in every user file that names it.
/// </summary>
public sealed class NameClashTests
{
    /// <summary>
    /// Every type a simple name reaches through the ordinary imports: the TorchSharp and TorchSharp.Modules namespaces,
    /// the nested types of <c>torch</c> (<c>using static TorchSharp.torch</c>), and, because lesson code often adds
    /// <c>using static TorchSharp.torch.nn</c>, the nested types of <c>torch.nn</c>. Keys carry the arity (<c>Name`2</c>).
    /// </summary>
    internal static ILookup<string, string> TorchSharpReachableNames()
    {
        var nn = typeof(torch.nn);
        return typeof(torch).Assembly.GetExportedTypes()
            .Where(t => t.IsNested
                ? t.DeclaringType == typeof(torch) || t.DeclaringType == nn
                : t.Namespace is "TorchSharp" or "TorchSharp.Modules")
            .ToLookup(t => t.Name, t => t.FullName!.Replace('+', '.'), StringComparer.Ordinal);
    }

    [Fact]
    public void NoPublicGenNetTypeSharesASimpleNameWithATypeTheTorchSharpImportsReach()
    {
        var torchSharp = TorchSharpReachableNames();
        var genNet = typeof(Learner).Assembly.GetExportedTypes().Where(t => !t.IsNested).ToList();
        Assert.Contains(genNet, t => t.Namespace == "GenNet.Optim"); // the reflection sees the real public surface

        var clashes = genNet
            .Where(t => torchSharp.Contains(t.Name))
            .Select(t => $"{t.FullName} clashes with {string.Join(", ", torchSharp[t.Name])}")
            .ToList();

        Assert.True(clashes.Count == 0, "Public GenNet types that user files importing TorchSharp cannot name unqualified:\n" + string.Join("\n", clashes));
    }

    [Fact]
    public void TheReachableSetHoldsTheNamesUsersMeet()
    {
        // Guards the lookup itself: if it missed these, the test above could pass while users hit CS0104.
        var torchSharp = TorchSharpReachableNames();
        foreach (var name in new[] { "Adam", "AdamW", "SGD", "Linear", "Sequential", "Parameter", "Tensor", "Device", "DataLoader`2", "Module`2" })
            Assert.True(torchSharp.Contains(name), name);
    }
}

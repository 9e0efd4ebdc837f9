using System.Linq;
using GenNet.Generators.Delegates;
using GenNet.Tests.Generators.Harness;
using Xunit;
using Xunit.Abstractions;

namespace GenNet.Tests.Generators.Delegates;

public sealed class DelegatesGeneratorTests(ITestOutputHelper output)
{
    [Fact]
    public void Scratch()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Canvas, DelegatesSources.Plot }), new DelegatesGenerator());
        foreach (var d in run.GeneratorDiagnostics) output.WriteLine(d.ToString());
        foreach (var (k, v) in run.Generated) output.WriteLine(k + "\n" + v);
        foreach (var d in run.CompilationErrors) output.WriteLine(d.ToString());
    }
}

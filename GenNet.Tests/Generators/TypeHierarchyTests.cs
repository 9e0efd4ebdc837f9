using System.Linq;
using GenNet.Generators.Delegates;
using GenNet.Generators.Module;
using GenNet.Tests.Generators.Harness;
using Xunit;

namespace GenNet.Tests.Generators;

/// <summary>
/// [Module] and [Delegates] place their output through one model (Generators/Shared/TypeHierarchy): the same
/// containing-type declarations, hint names, partial check and keyword escaping.
/// </summary>
public sealed class TypeHierarchyTests
{
    private const string Nested = """
        using GenNet; using TorchSharp; using static TorchSharp.torch;
        namespace Lesson.Shared
        {
            public partial record Outer<TConfig>
            {
                public partial struct Middle
                {
                    [Module]
                    public partial class @fixed : nn.Module<Tensor, Tensor>
                    {
                        public partial TorchSharp.Modules.ReLU Act { get; set; }
                        public @fixed() : base("fixed") { Act = nn.ReLU(); RegisterComponents(); }
                        public override Tensor forward(Tensor x) => Act.call(x);
                    }

                    public static partial class @checked
                    {
                        public static int Target(int x, byte scale = 2, string @event = "e") => x * scale + @event.Length;

                        [Delegates(nameof(Target))]
                        public static int Run(int x, RunKwargs kwargs = default) => kwargs.Target(x);
                    }
                }
            }

            public static class Use
            {
                public static int Call() => Outer<int>.Middle.@checked.Run(1, scale: 3, @event: "xy");
                public static string Print() => new Outer<int>.Middle.@fixed().ToString();
            }
        }
        """;

    [Fact]
    public void BothGeneratorsNameAndNestTheirFilesAlike()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Nested), new ModuleGenerator(), new DelegatesGenerator());

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        Assert.Equal(
            new[] { "Lesson.Shared.Outer`1+Middle+checked.Run.Delegates.g.cs", "Lesson.Shared.Outer`1+Middle+fixed.Module.g.cs" },
            run.Generated.Keys.OrderBy(k => k, System.StringComparer.Ordinal));
        Assert.Contains("partial record Outer<TConfig>\n    {\n        partial struct Middle\n        {\n            partial class @checked\n",
            run.Generated["Lesson.Shared.Outer`1+Middle+checked.Run.Delegates.g.cs"]);
        Assert.Contains("partial record Outer<TConfig>\n    {\n        partial struct Middle\n        {\n            partial class @fixed : ",
            run.Generated["Lesson.Shared.Outer`1+Middle+fixed.Module.g.cs"]);
        Assert.Contains("string @event = \"e\"", run.Generated["Lesson.Shared.Outer`1+Middle+checked.Run.Delegates.g.cs"]);
    }

    [Fact]
    public void BothGeneratorsRejectTheSameNonPartialContainer()
    {
        string source = Nested.Replace("public partial struct Middle", "public struct Middle");
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source), new ModuleGenerator(), new DelegatesGenerator());

        Assert.Empty(run.Generated);
        var module = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "GN0001");
        var delegates = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "GN0103");
        Assert.Contains("'Middle'", module.GetMessage());
        Assert.Contains("'Middle'", delegates.GetMessage());
    }
}

using System.Linq;
using GenNet.Generators.Module;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GenNet.Tests.Generators.Module;

/// <summary>
/// Each misuse of [Module] is one diagnostic with its ID at the place to fix. Sources mark that place as
/// <c>[|...|]</c>; the markers are removed before compiling.
/// </summary>
public sealed class ModuleDiagnosticsTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using GenNet;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        """;

    private const string Forward = "public override Tensor forward(Tensor x) => x;";

    [Theory]
    [InlineData("GN0001", "[Module] public class [|Net|] : nn.Module<Tensor, Tensor> { public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0001", "public class [|Outer|] { [Module] public partial class Net : nn.Module<Tensor, Tensor> { public Net() : base(\"Net\") { } " + Forward + " } }")]
    [InlineData("GN0002", "[Module] public partial class [|Net|] { }")]
    [InlineData("GN0003", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { public partial Linear [|Fc|] { get; } public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0003", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { public partial Linear [|Fc|] { get; init; } public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0004", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { private static Linear? [|shared|]; public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0005", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { private readonly List<Linear> [|layers|] = new(); public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0005", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { private readonly nn.Module<Tensor, Tensor>[] [|layers|] = { }; public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0005", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { private readonly Dictionary<string, Linear> [|heads|] = new(); public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0006", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { public partial Linear HiddenLayer { get; set; } private readonly Linear [|_hiddenLayer|]; public Net() : base(\"Net\") { _hiddenLayer = nn.Linear(1, 1); RegisterComponents(); } " + Forward + " }")]
    [InlineData("GN0007", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { [RegisterAs(\"a.b\")] public partial Linear [|Fc|] { get; set; } public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0008", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { private readonly Linear fc; public [|Net|]() : base(\"Net\") { fc = nn.Linear(1, 1); } " + Forward + " }")]
    [InlineData("GN0009", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { public Linear [|Fc|] { get; set; } = nn.Linear(1, 1); public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0010", "[Module] public partial class Net<T> : nn.Module<Tensor, Tensor> { private readonly T [|value|]; public Net(T value) : base(\"Net\") { this.value = value; } " + Forward + " }")]
    [InlineData("GN0011", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { public Net() : base(\"Net\") { } protected override void [|RegisterComponents|]() { } " + Forward + " }")]
    [InlineData("GN0012", "public abstract class Base : nn.Module<Tensor, Tensor> { protected Linear fc = nn.Linear(1, 1); protected Base() : base(\"Base\") { } } [Module] public partial class [|Net|] : Base { " + Forward + " }")]
    [InlineData("GN0013", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { [NonPersistent] public partial Linear [|Fc|] { get; set; } public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0013", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { [RegisterAs(\"n\")] private readonly int [|count|]; public Net() : base(\"Net\") { } " + Forward + " }")]
    [InlineData("GN0014", "[Module] public partial class Net : nn.Module<Tensor, Tensor> { public Net() : base(\"Net\") { } private int [|ExtraRepr|]() => 1; " + Forward + " }")]
    public void MisuseIsReportedWithItsIdAtTheMarkedPlace(string id, string markup)
    {
        string source = Usings + markup;
        int start = source.IndexOf("[|", System.StringComparison.Ordinal);
        int end = source.IndexOf("|]", System.StringComparison.Ordinal) - 2;
        source = source.Replace("[|", "").Replace("|]", "");

        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source), new ModuleGenerator());

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(source.Substring(start, end - start), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(start, diagnostic.Location.SourceSpan.Start);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Descriptor.Description.ToString()), "every rule explains itself");
        Assert.StartsWith("https://", diagnostic.Descriptor.HelpLinkUri);
    }

    [Fact]
    public void MessagesNameTheMember()
    {
        string source = Usings + "[Module] public partial class Net : nn.Module<Tensor, Tensor> { private readonly List<Linear> layers = new(); public Net() : base(\"Net\") { } " + Forward + " }";

        var diagnostic = Assert.Single(GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source), new ModuleGenerator()).GeneratorDiagnostics);

        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'layers' is a List of modules", diagnostic.GetMessage());
        Assert.Contains("ModuleList", diagnostic.GetMessage());
    }

    [Fact]
    public void NotRegisteredSilencesCollectionAndStaticWarnings()
    {
        string source = Usings + """
            [Module] public partial class Net : nn.Module<Tensor, Tensor>
            {
                [NotRegistered] private readonly List<Linear> layers = new();
                [NotRegistered] private static Linear? shared;
                public Net() : base("Net") { }
                public override Tensor forward(Tensor x) => x;
            }
            """;

        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source), new ModuleGenerator());

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void AClassWithErrorsGetsNoGeneratedFile()
    {
        string source = Usings + "[Module] public class Net : nn.Module<Tensor, Tensor> { public Net() : base(\"Net\") { } " + Forward + " }";

        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source), new ModuleGenerator());

        Assert.DoesNotContain(run.Generated.Keys, k => k.EndsWith(".Module.g.cs", System.StringComparison.Ordinal));
    }
}

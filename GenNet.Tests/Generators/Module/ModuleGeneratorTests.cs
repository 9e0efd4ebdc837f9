using System.Linq;
using GenNet.Generators.Module;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace GenNet.Tests.Generators.Module;

/// <summary>The emitted source of the [Module] generator, compared with golden files, and its incremental caching.</summary>
public sealed class ModuleGeneratorTests
{
    private const string Usings = """
        using GenNet;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        """;

    internal const string Mlp = Usings + """
        namespace Lesson;

        [Module]
        public partial class Mlp : nn.Module<Tensor, Tensor>
        {
            /// <summary>The first layer; this doc comment stays the one IntelliSense shows.</summary>
            public partial Linear L1 { get; set; }
            public partial ReLU Act { get; private set; }
            private readonly Linear l2;

            public Mlp(int nIn, int nH, int nOut) : base(nameof(Mlp))
            {
                L1 = nn.Linear(nIn, nH);
                Act = nn.ReLU();
                l2 = nn.Linear(nH, nOut);
                RegisterComponents();
            }

            public override Tensor forward(Tensor x) => l2.call(Act.call(L1.call(x)));
        }
        """;

    private const string Features = Usings + """
        using System.Collections.Generic;

        namespace Lesson.Models;

        public static partial class Zoo<TConfig>
        {
            [Module]
            internal sealed partial class Block<TAct> : nn.Module<Tensor, Tensor> where TAct : nn.Module<Tensor, Tensor>
            {
                private readonly Parameter _scale;
                protected internal partial Tensor RunningMean { get; set; }
                [NonPersistent] public partial Tensor? Mask { get; set; }
                [RegisterAs("fc")] public partial Linear Classifier { get; set; }
                private TAct m_activation;
                private readonly ModuleList<Linear> layers;
                private readonly nn.IModule<Tensor, Tensor> @out;
                [NotRegistered] private readonly List<Linear> _plain = new();

                public Block(TAct activation) : base("Block")
                {
                    _scale = new Parameter(ones(3));
                    RunningMean = zeros(3);
                    Classifier = nn.Linear(3, 2);
                    m_activation = activation;
                    layers = nn.ModuleList(nn.Linear(3, 3));
                    @out = nn.Identity();
                    RegisterComponents();
                }

                private string ExtraRepr() => "scale=3";

                public override Tensor forward(Tensor x) => Classifier.call(m_activation.call(x * _scale));
            }
        }
        """;

    private const string Derived = Usings + """
        namespace Lesson;

        [Module]
        public abstract partial class Encoder : nn.Module<Tensor, Tensor>
        {
            public partial Linear Embed { get; set; }
            protected Encoder(string name) : base(name) => Embed = nn.Linear(4, 4);
        }

        [Module]
        public partial class Classifier : Encoder
        {
            public partial Linear Head { get; set; }
            public Classifier() : base(nameof(Classifier)) => Head = nn.Linear(4, 2);
            public override Tensor forward(Tensor x) => Head.call(Embed.call(x));
            public override string ToString() => "custom";
        }
        """;

    private const string GlobalNamespace = Usings + """
        [Module]
        public partial class Tiny : nn.Module<Tensor, Tensor>
        {
            public Tiny() : base(nameof(Tiny)) { }
            public override Tensor forward(Tensor x) => x;
        }
        """;

    [Theory]
    [InlineData(nameof(Mlp), "Lesson.Mlp.Module.g.cs")]
    [InlineData(nameof(Features), "Lesson.Models.Zoo`1+Block`1.Module.g.cs")]
    [InlineData(nameof(Derived), "Lesson.Encoder.Module.g.cs")]
    [InlineData(nameof(Derived), "Lesson.Classifier.Module.g.cs")]
    [InlineData(nameof(GlobalNamespace), "Tiny.Module.g.cs")]
    public void EmittedSourceMatchesGoldenFileAndCompiles(string sample, string hintName)
    {
        string source = sample switch
        {
            nameof(Mlp) => Mlp,
            nameof(Features) => Features,
            nameof(Derived) => Derived,
            _ => GlobalNamespace,
        };

        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source), new ModuleGenerator());

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        Assert.Contains(hintName, run.Generated.Keys);
        GeneratorHarness.AssertGolden(hintName.Replace('`', '_') + ".txt", GeneratorHarness.ScrubVersion(run.Generated[hintName]));
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp13)]
    [InlineData(LanguageVersion.Latest)]
    public void FieldOnlyModulesCompileFromCSharp12(LanguageVersion version)
    {
        const string fieldsOnly = Usings + """
            [Module]
            public partial class Net : nn.Module<Tensor, Tensor>
            {
                private readonly Linear _fc;
                private readonly Parameter _scale;
                public Net() : base(nameof(Net)) { _fc = nn.Linear(2, 2); _scale = new Parameter(ones(2)); RegisterComponents(); }
                public override Tensor forward(Tensor x) => _fc.call(x) * _scale;
            }
            """;

        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(fieldsOnly, version), new ModuleGenerator());

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void PartialPropertiesCompileFromCSharp13()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Mlp, LanguageVersion.CSharp13), new ModuleGenerator());

        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void GeneratedFilesAreMarkedAndUseGlobalNames()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Mlp), new ModuleGenerator());
        string text = run.Generated["Lesson.Mlp.Module.g.cs"];

        Assert.StartsWith("// <auto-generated/>\n#nullable enable\n", text);
        Assert.Contains("[global::System.CodeDom.Compiler.GeneratedCode(", text);
        // No doc comment on the property implementation: the user's own on the definition must stay the one shown.
        var lines = text.Split('\n');
        int property = System.Array.FindIndex(lines, l => l.Contains("public partial global::TorchSharp.Modules.Linear L1"));
        Assert.DoesNotContain("///", lines[property - 2] + lines[property - 1]);
        var l1 = run.Output.GetTypeByMetadataName("Lesson.Mlp")!.GetMembers("L1").Single();
        Assert.Contains("The first layer", l1.GetDocumentationCommentXml());
    }

    [Fact]
    public void SecondRunOnAnUnchangedCompilationIsCached()
        => GeneratorHarness.AssertRunTwiceCached(
            GeneratorHarness.CreateCompilation(new[] { Mlp, Features, Derived }), new ModuleGenerator(), ModuleGenerator.TrackingNames.All);

    [Fact]
    public void AnUnrelatedEditLeavesEveryStepCachedOrUnchanged()
    {
        var before = GeneratorHarness.CreateCompilation(new[] { Mlp, "namespace Other { public class Unrelated { } }" });
        var after = GeneratorHarness.ReplaceSource(before, 1, "namespace Other { public class Unrelated { public int Added => 1; } }");

        var reasons = GeneratorHarness.ReasonsAfterEdit(before, after, new ModuleGenerator(), ModuleGenerator.TrackingNames.All);

        Assert.Equal(ModuleGenerator.TrackingNames.All.OrderBy(n => n), reasons.Keys.OrderBy(n => n));
        Assert.All(reasons.Values.SelectMany(r => r), reason =>
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"reason {reason}"));
    }

    [Fact]
    public void EditingAModuleClassModifiesItsModel()
    {
        var before = GeneratorHarness.CreateCompilation(new[] { Mlp });
        var after = GeneratorHarness.ReplaceSource(before, 0, Mlp.Replace("public partial ReLU Act", "public partial GELU Act"));

        var reasons = GeneratorHarness.ReasonsAfterEdit(before, after, new ModuleGenerator(), ModuleGenerator.TrackingNames.All);

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, reasons[ModuleGenerator.TrackingNames.Models]);
        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, reasons[ModuleGenerator.TrackingNames.Analyzed]);
    }

    [Fact]
    public void EditingAMethodBodyLeavesTheModelUnchanged()
    {
        var before = GeneratorHarness.CreateCompilation(new[] { Mlp });
        var after = GeneratorHarness.ReplaceSource(before, 0, Mlp.Replace("l2.call(Act.call(L1.call(x)))", "l2.call(L1.call(x))"));

        var reasons = GeneratorHarness.ReasonsAfterEdit(before, after, new ModuleGenerator(), ModuleGenerator.TrackingNames.All);

        Assert.Equal(new[] { IncrementalStepRunReason.Unchanged }, reasons[ModuleGenerator.TrackingNames.Analyzed]);
        Assert.Equal(new[] { IncrementalStepRunReason.Cached }, reasons[ModuleGenerator.TrackingNames.Models]);
    }

    [Fact]
    public void AddingAMemberToABaseClassInAnotherFileUpdatesTheDerivedClass()
    {
        string baseClass = Usings + """
            namespace Lesson;
            [Module]
            public abstract partial class Encoder : nn.Module<Tensor, Tensor>
            {
                public partial Linear Embed { get; set; }
                protected Encoder(string name) : base(name) => Embed = nn.Linear(4, 4);
            }
            """;
        string derived = Usings + """
            namespace Lesson;
            [Module]
            public partial class Classifier : Encoder
            {
                public partial Linear Head { get; set; }
                public Classifier() : base(nameof(Classifier)) => Head = nn.Linear(4, 2);
                public override Tensor forward(Tensor x) => Head.call(Embed.call(x));
            }
            """;
        var before = GeneratorHarness.CreateCompilation(new[] { baseClass, derived });
        var after = GeneratorHarness.ReplaceSource(before, 0, baseClass.Replace("public partial Linear Embed", "public partial Linear Norm { get; set; }\n    public partial Linear Embed"));

        var first = GeneratorHarness.Run(before, new ModuleGenerator());
        var second = GeneratorHarness.Run(first.Driver, after);

        Assert.Contains("{ \"embed\", \"head\" }", first.Generated["Lesson.Classifier.Module.g.cs"]);
        Assert.Contains("{ \"norm\", \"embed\", \"head\" }", second.Generated["Lesson.Classifier.Module.g.cs"]);
    }

    [Theory]
    [InlineData("L1", "l1")]
    [InlineData("HiddenLayer", "hidden_layer")]
    [InlineData("_head", "head")]
    [InlineData("m_Head", "head")]
    [InlineData("l2", "l2")]
    [InlineData("FC1", "fc1")]
    [InlineData("HTTPProxy", "http_proxy")]
    [InlineData("Block2Conv", "block2_conv")]
    [InlineData("running_mean", "running_mean")]
    [InlineData("__x", "x")]
    public void RegisteredNamesAreSnakeCaseWithoutPrefixes(string member, string expected)
        => Assert.Equal(expected, ModuleGenerator.Execute.RegisteredName(member));
}

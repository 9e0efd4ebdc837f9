using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using GenNet.Generators.Module;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TorchSharp;
using TorchSharp.Modules;
using static GenNet.Samples.Benchmarks.Statistics;
using static TorchSharp.torch;

namespace GenNet.Samples.Benchmarks;

/// <summary>
/// <c>bench generator</c>: how long the [Module] generator takes on 1,000 classes (one file each) — from scratch, as a
/// build runs it, and after a one-file edit, as the IDE does — next to the compiler's binding of the same declarations;
/// then model construction with generated registration against TorchSharp's reflection-based RegisterComponents().
/// </summary>
internal static partial class GeneratorBench
{
    public static Command Create()
    {
        var classes = new Option<int>("--classes") { Description = "Number of [Module] classes to generate.", DefaultValueFactory = _ => 1000 };
        var runs = new Option<int>("--runs") { Description = "Measured runs per figure (after one warm-up); medians are reported.", DefaultValueFactory = _ => 3 };
        var models = new Option<int>("--models") { Description = "Models constructed per construction run.", DefaultValueFactory = _ => 200 };
        var command = new Command("generator", "[Module] generator time for N classes, and generated vs reflection registration.");
        command.Options.Add(classes);
        command.Options.Add(runs);
        command.Options.Add(models);
        command.SetAction(result => Run(result.GetValue(classes), result.GetValue(runs), result.GetValue(models)));
        return command;
    }

    private static int Run(int classes, int runs, int models)
    {
        if (classes < 1 || runs < 1 || models < 1)
            throw new ArgumentOutOfRangeException(nameof(classes), "--classes, --runs and --models must be at least 1.");

        var compilation = CreateCompilation(classes);
        var check = CSharpGeneratorDriver.Create(new ModuleGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        int generatedFiles = check.GetRunResult().GeneratedTrees.Length;
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (generatedFiles != classes || diagnostics.Length > 0 || errors.Count > 0)
            throw new InvalidOperationException($"The benchmark's classes did not generate cleanly: {generatedFiles} files, " +
                $"{diagnostics.Length} generator diagnostics, {errors.Count} errors (first: {errors.FirstOrDefault()}).");

        // A fresh driver per run is a build; re-running a driver after editing one file is an IDE keystroke. The
        // reference is the compiler binding the declarations (not the method bodies) of the same classes plus the
        // generated code: the level of semantic work the generator's analysis does.
        var fresh = new List<double>();
        var edit = new List<double>();
        var bind = new List<double>();
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText(ClassSource(0).Replace("public partial ReLU Act", "public partial GELU Act"), (CSharpParseOptions)compilation.SyntaxTrees.First().Options, "Model0.cs"));
        for (int run = 0; run <= runs; run++)
        {
            var watch = Stopwatch.StartNew();
            GeneratorDriver driver = CSharpGeneratorDriver.Create(new ModuleGenerator()).RunGenerators(compilation);
            double freshSeconds = watch.Elapsed.TotalSeconds;

            watch.Restart();
            driver.RunGenerators(edited);
            double editSeconds = watch.Elapsed.TotalSeconds;

            var clone = output.Clone();
            watch.Restart();
            clone.GetDeclarationDiagnostics();
            double bindSeconds = watch.Elapsed.TotalSeconds;

            if (run == 0)
                continue; // warm-up: JIT of the generator and of Roslyn
            fresh.Add(freshSeconds);
            edit.Add(editSeconds);
            bind.Add(bindSeconds);
        }

        var construction = MeasureConstruction(runs, models);

        double generate = Median(fresh);
        Console.WriteLine($"[Module] generator, {classes} classes (5 registered members each), medians of {runs} runs after a warm-up");
        Console.WriteLine($"{"measure",-48} {"seconds",10} {"vs bind",8}");
        Console.WriteLine($"{"generate all classes (fresh driver: a build)",-48} {generate,10:F3} {generate / Median(bind),8:F2}");
        Console.WriteLine($"{"regenerate after a one-file edit (the IDE)",-48} {Median(edit),10:F3} {Median(edit) / Median(bind),8:F2}");
        Console.WriteLine($"{"reference: compiler binds their declarations",-48} {Median(bind),10:F3} {1.0,8:F2}");
        Console.WriteLine($"goal: generate {classes} classes in under 1 s: {(generate < 1 ? "met" : "missed")}");
        Console.WriteLine();
        Console.WriteLine($"Model construction, 8 Linear(8, 8) fields, {models} models per run, medians of {runs} interleaved runs (microseconds per model)");
        Console.WriteLine($"{"registration",-28} {"construct+register",20} {"register only",15}");
        Console.WriteLine($"{"generated ([Module])",-28} {construction.GeneratedTotal,20:F1} {construction.GeneratedRegister,15:F2}");
        Console.WriteLine($"{"reflection (TorchSharp)",-28} {construction.ReflectionTotal,20:F1} {construction.ReflectionRegister,15:F2}");
        Console.WriteLine($"reflection / generated: construct+register {construction.ReflectionTotal / construction.GeneratedTotal:F2}x, " +
                          $"register only {construction.ReflectionRegister / construction.GeneratedRegister:F2}x");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generator: classes={classes} seconds={generate:F3}"));
        return 0;
    }

    private static CSharpCompilation CreateCompilation(int classes)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Enumerable.Range(0, classes).Select(i => CSharpSyntaxTree.ParseText(ClassSource(i), parse, $"Model{i}.cs"));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => !Path.GetFileName(path).StartsWith("GenNet.Samples", StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path));
        return CSharpCompilation.Create("GeneratorBench", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static string ClassSource(int i) => $$"""
        using GenNet;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Bench.Group{{i / 100}};

        [Module]
        public partial class Model{{i}} : nn.Module<Tensor, Tensor>
        {
            public partial Linear L1 { get; set; }
            public partial ReLU Act { get; set; }
            private readonly Linear l2;
            [NonPersistent] public partial Tensor? Mask { get; set; }
            private readonly Parameter _scale;

            public Model{{i}}() : base(nameof(Model{{i}}))
            {
                L1 = nn.Linear(4, 4);
                Act = nn.ReLU();
                l2 = nn.Linear(4, 4);
                _scale = new Parameter(ones(4));
                RegisterComponents();
            }

            public override Tensor forward(Tensor x) => l2.call(Act.call(L1.call(x))) * _scale;
        }
        """;

    private sealed record Construction(double GeneratedTotal, double GeneratedRegister, double ReflectionTotal, double ReflectionRegister);

    // Interleaved (generated, reflection, generated, …) so both see the machine's fast and slow phases alike.
    private static Construction MeasureConstruction(int runs, int models)
    {
        var generatedTotal = new List<double>();
        var generatedRegister = new List<double>();
        var reflectionTotal = new List<double>();
        var reflectionRegister = new List<double>();
        for (int run = 0; run <= runs; run++)
        {
            double gt = PerModel(models, () => new GeneratedEight(register: true));
            double rt = PerModel(models, () => new ReflectiveEight(register: true));
            double gr = RegisterOnly(models, () => new GeneratedEight(register: false), m => m.Register());
            double rr = RegisterOnly(models, () => new ReflectiveEight(register: false), m => m.Register());
            if (run == 0)
                continue;
            generatedTotal.Add(gt);
            reflectionTotal.Add(rt);
            generatedRegister.Add(gr);
            reflectionRegister.Add(rr);
        }
        return new Construction(Median(generatedTotal), Median(generatedRegister), Median(reflectionTotal), Median(reflectionRegister));
    }

    private static double PerModel<T>(int count, Func<T> create) where T : nn.Module
    {
        var built = new List<T>(count);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
            built.Add(create());
        double micros = watch.Elapsed.TotalMilliseconds * 1000 / count;
        built.ForEach(m => m.Dispose());
        return micros;
    }

    private static double RegisterOnly<T>(int count, Func<T> create, Action<T> register) where T : nn.Module
    {
        var built = Enumerable.Range(0, count).Select(_ => create()).ToList();
        var watch = Stopwatch.StartNew();
        foreach (var model in built)
            register(model);
        double micros = watch.Elapsed.TotalMilliseconds * 1000 / count;
        if (built[0].named_children().Count() != 8)
            throw new InvalidOperationException($"{typeof(T).Name} registered {built[0].named_children().Count()} children, not 8.");
        built.ForEach(m => m.Dispose());
        return micros;
    }


    /// <summary>Eight fields registered by the generated RegisterComponents() override.</summary>
    [Module]
    internal sealed partial class GeneratedEight : nn.Module<Tensor, Tensor>
    {
        private readonly Linear a = nn.Linear(8, 8), b = nn.Linear(8, 8), c = nn.Linear(8, 8), d = nn.Linear(8, 8);
        private readonly Linear e = nn.Linear(8, 8), f = nn.Linear(8, 8), g = nn.Linear(8, 8), h = nn.Linear(8, 8);

        public GeneratedEight(bool register) : base(nameof(GeneratedEight))
        {
            if (register)
                RegisterComponents();
        }

        public void Register() => RegisterComponents();

        public override Tensor forward(Tensor x) => h.call(g.call(f.call(e.call(d.call(c.call(b.call(a.call(x))))))));
    }

    /// <summary>The same eight fields registered by TorchSharp's reflection.</summary>
    private sealed class ReflectiveEight : nn.Module<Tensor, Tensor>
    {
        private readonly Linear a = nn.Linear(8, 8), b = nn.Linear(8, 8), c = nn.Linear(8, 8), d = nn.Linear(8, 8);
        private readonly Linear e = nn.Linear(8, 8), f = nn.Linear(8, 8), g = nn.Linear(8, 8), h = nn.Linear(8, 8);

        public ReflectiveEight(bool register) : base(nameof(ReflectiveEight))
        {
            if (register)
                RegisterComponents();
        }

        public void Register() => RegisterComponents();

        public override Tensor forward(Tensor x) => h.call(g.call(f.call(e.call(d.call(c.call(b.call(a.call(x))))))));
    }
}

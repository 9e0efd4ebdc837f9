using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace GenNet.Tests.Generators.Harness;

/// <summary>The outcome of running generators over a compilation.</summary>
/// <param name="Output">The input compilation plus the generated trees.</param>
/// <param name="GeneratorDiagnostics">Diagnostics the generators reported.</param>
/// <param name="Generated">Generated sources by hint name.</param>
/// <param name="Driver">The driver after the run, for incremental re-runs.</param>
internal sealed record GeneratorRun(
    Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    IReadOnlyDictionary<string, string> Generated,
    GeneratorDriver Driver)
{
    /// <summary>Errors of the compilation that includes the generated code.</summary>
    public IReadOnlyList<Diagnostic> CompilationErrors
        => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>Emits the output compilation and loads it into a collectible context, failing with the errors if any.</summary>
    public Assembly EmitAndLoad()
    {
        using var stream = new MemoryStream();
        var result = Output.Emit(stream);
        Assert.True(result.Success, "Compilation failed:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        return System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromStream(stream);
    }
}

/// <summary>
/// Drives GenNet's generators the way the compiler does, after NetEscapades.EnumGenerators' test helpers:
/// compilations over the real framework, TorchSharp and GenNet.Runtime references; golden files for emitted text;
/// a second run on a cloned compilation asserting every tracked step is cached; and a walk of every step's outputs
/// that finds no <see cref="Compilation"/>, <see cref="ISymbol"/> or <see cref="SyntaxNode"/>.
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>Set to 1 to rewrite golden files from the current output instead of comparing.</summary>
    public const string UpdateGoldenVariable = "GENNET_UPDATE_GOLDEN";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => !Path.GetFileName(path).StartsWith("GenNet.Tests", StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    /// <summary>The metadata references every test compilation gets: the framework, TorchSharp and GenNet.Runtime.</summary>
    public static ImmutableArray<MetadataReference> DefaultReferences => References.Value;

    /// <summary>Creates a library compilation of <paramref name="sources"/> (file names Source0.cs, Source1.cs, …).</summary>
    public static CSharpCompilation CreateCompilation(
        IEnumerable<string> sources,
        LanguageVersion languageVersion = LanguageVersion.Latest,
        DocumentationMode documentationMode = DocumentationMode.Parse,
        IEnumerable<MetadataReference>? extraReferences = null,
        string assemblyName = "GeneratorTestAssembly")
    {
        var options = new CSharpParseOptions(languageVersion, documentationMode);
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, options, path: $"Source{i}.cs"));
        return CSharpCompilation.Create(
            assemblyName,
            trees,
            DefaultReferences.AddRange(extraReferences ?? Enumerable.Empty<MetadataReference>()),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>Creates a compilation of a single source.</summary>
    public static CSharpCompilation CreateCompilation(string source, LanguageVersion languageVersion = LanguageVersion.Latest)
        => CreateCompilation(new[] { source }, languageVersion);

    /// <summary>Runs <paramref name="generators"/> over <paramref name="compilation"/> with step tracking on.</summary>
    public static GeneratorRun Run(Compilation compilation, params IIncrementalGenerator[] generators)
    {
        var parseOptions = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            generators.Select(GeneratorExtensions.AsSourceGenerator),
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return Run(driver, compilation);
    }

    /// <summary>
    /// Runs <paramref name="generators"/> with <paramref name="additionalTexts"/> as the compiler's additional files
    /// (e.g. a referenced assembly's XML documentation file).
    /// </summary>
    public static GeneratorRun Run(Compilation compilation, IEnumerable<AdditionalText> additionalTexts, params IIncrementalGenerator[] generators)
    {
        var parseOptions = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            generators.Select(GeneratorExtensions.AsSourceGenerator),
            additionalTexts,
            parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return Run(driver, compilation);
    }

    /// <summary>Runs an existing driver (an incremental re-run) over <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var generated = driver.GetRunResult().GeneratedTrees
            .ToDictionary(tree => Path.GetFileName(tree.FilePath), tree => tree.GetText().ToString());
        return new GeneratorRun(output, diagnostics, generated, driver);
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with the golden file <c>Golden/&lt;name&gt;</c> next to the calling test's
    /// source file. With <see cref="UpdateGoldenVariable"/>=1 the file is (re)written and the test fails, so an update
    /// is always a deliberate second run.
    /// </summary>
    public static void AssertGolden(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(callerPath)!, "Golden", name);
        string normalized = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable(UpdateGoldenVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, normalized);
            Assert.Fail($"Golden file {path} was written; rerun without {UpdateGoldenVariable} to compare.");
        }
        Assert.True(File.Exists(path), $"Golden file {path} is missing; run the test once with {UpdateGoldenVariable}=1.");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), normalized);
    }

    /// <summary>
    /// Replaces the version in every <c>[GeneratedCode("tool", "version")]</c> with <c>&lt;VERSION&gt;</c>, so golden files
    /// do not change with the package version.
    /// </summary>
    public static string ScrubVersion(string text)
        => System.Text.RegularExpressions.Regex.Replace(text, "GeneratedCode\\(\"([^\"]*)\", \"[^\"]*\"\\)", "GeneratedCode(\"$1\", \"<VERSION>\")");

    /// <summary>
    /// Runs the generators twice, the second time on a clone of the compilation (as the IDE does after an unrelated
    /// keystroke), and asserts that every step named in <paramref name="trackingNames"/> ran, produced equal outputs
    /// and was <c>Cached</c>/<c>Unchanged</c>, that every output step was <c>Cached</c>, and that no step output holds
    /// a compilation, symbol or syntax node.
    /// </summary>
    public static void AssertRunTwiceCached(Compilation compilation, IIncrementalGenerator generator, IReadOnlyCollection<string> trackingNames)
    {
        var first = Run(compilation, generator);
        var second = Run(first.Driver, compilation.Clone());
        var firstSteps = TrackedSteps(first.Driver, trackingNames);
        var secondSteps = TrackedSteps(second.Driver, trackingNames);

        Assert.NotEmpty(firstSteps);
        foreach (string name in trackingNames)
            Assert.True(firstSteps.ContainsKey(name), $"Tracked step '{name}' never ran.");
        foreach (var (name, runs) in firstSteps)
        {
            var again = secondSteps[name];
            Assert.Equal(runs.Length, again.Length);
            for (int i = 0; i < runs.Length; i++)
            {
                Assert.Equal(runs[i].Outputs.Select(o => o.Value), again[i].Outputs.Select(o => o.Value));
                Assert.All(again[i].Outputs, o => Assert.True(
                    o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step '{name}' re-ran with reason {o.Reason}."));
                foreach (var output in runs[i].Outputs)
                    AssertNoBannedObjects(output.Value, name);
            }
        }
        foreach (var output in second.Driver.GetRunResult().Results.SelectMany(r => r.TrackedOutputSteps).SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            Assert.Equal(IncrementalStepRunReason.Cached, output.Reason);
    }

    /// <summary>
    /// Runs the generator over <paramref name="before"/>, then over <paramref name="after"/> with the same driver, and
    /// returns the reasons each tracked step's outputs had in the second run.
    /// </summary>
    public static IReadOnlyDictionary<string, IncrementalStepRunReason[]> ReasonsAfterEdit(
        Compilation before, Compilation after, IIncrementalGenerator generator, IReadOnlyCollection<string> trackingNames)
    {
        var first = Run(before, generator);
        var second = Run(first.Driver, after);
        return TrackedSteps(second.Driver, trackingNames)
            .ToDictionary(p => p.Key, p => p.Value.SelectMany(step => step.Outputs).Select(o => o.Reason).ToArray());
    }

    /// <summary>Replaces the tree at <paramref name="index"/> of <paramref name="compilation"/> with <paramref name="newSource"/>.</summary>
    public static Compilation ReplaceSource(Compilation compilation, int index, string newSource)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newSource, (CSharpParseOptions)old.Options, old.FilePath));
    }

    private static Dictionary<string, ImmutableArray<IncrementalGeneratorRunStep>> TrackedSteps(GeneratorDriver driver, IReadOnlyCollection<string> names)
        => driver.GetRunResult().Results
            .SelectMany(r => r.TrackedSteps)
            .Where(step => names.Contains(step.Key))
            .ToDictionary(step => step.Key, step => step.Value);

    private static void AssertNoBannedObjects(object? value, string step)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Visit(value);

        void Visit(object? node)
        {
            if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum || !visited.Add(node))
                return;
            Assert.False(node is Compilation or ISymbol or SyntaxNode,
                $"Step '{step}' holds a {node.GetType().Name}; models must be value types of strings, numbers and equatable arrays.");
            var type = node.GetType();
            if (type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true)
                return; // Roslyn value types such as TextSpan or DiagnosticDescriptor hold nothing banned.
            if (node is IEnumerable sequence)
            {
                foreach (var item in sequence)
                    Visit(item);
                return;
            }
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    Visit(field.GetValue(node));
        }
    }
}

/// <summary>An additional file held in memory, as the compiler passes <c>AdditionalFiles</c> items to generators.</summary>
/// <param name="path">The file's path; generators may look at its name.</param>
/// <param name="text">The file's text.</param>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    /// <inheritdoc />
    public override string Path { get; } = path;

    /// <inheritdoc />
    public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default)
        => Microsoft.CodeAnalysis.Text.SourceText.From(text);
}

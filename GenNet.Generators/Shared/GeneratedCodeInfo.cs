namespace GenNet.Generators.Shared;

/// <summary>The <c>[GeneratedCode]</c> attribute every generator writes: one version for all of them.</summary>
internal static class GeneratedCodeInfo
{
    /// <summary>The generators' assembly version (the package's version), so generated code says which build wrote it.</summary>
    public static readonly string Version = typeof(GeneratedCodeInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    /// <summary>The attribute, fully qualified, naming <paramref name="tool"/> and <see cref="Version"/>.</summary>
    public static string Attribute(string tool)
        => $"[global::System.CodeDom.Compiler.GeneratedCode(\"{tool}\", \"{Version}\")]";
}

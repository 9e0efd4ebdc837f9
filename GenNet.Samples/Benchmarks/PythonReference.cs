using System.ComponentModel;
using System.Diagnostics;

namespace GenNet.Samples.Benchmarks;

/// <summary>The PyTorch reference the benchmarks run in the same invocation: Debian's <c>python3-torch</c>.</summary>
internal static class PythonReference
{
    /// <summary>Debian's interpreter, which has Debian's PyTorch (not a pyenv or venv <c>python3</c> on the PATH).</summary>
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Whether <paramref name="python"/> runs and imports torch (the reference figures print as <c>na</c> otherwise).</summary>
    public static bool HasTorch(string python)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, "-c \"import torch\"") { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit(60_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}

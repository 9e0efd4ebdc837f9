using System.IO;

namespace GenNet.Native;

/// <summary>
/// Thrown when a file that should be an ELF shared library cannot be read as one: it is not ELF, not 64-bit
/// little-endian, or a table points past the end of the file. The message names the file and what was wrong.
/// </summary>
public sealed class ElfFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="path">The file that was being read.</param>
    /// <param name="problem">What was wrong, in a sentence fragment such as "truncated section header table".</param>
    public ElfFormatException(string path, string problem)
        : base($"'{path}' is not a usable ELF shared library: {problem}.")
    {
        FilePath = path;
    }

    /// <summary>The file that could not be read.</summary>
    public string FilePath { get; }
}

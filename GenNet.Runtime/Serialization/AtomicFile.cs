using System;
using System.IO;

namespace GenNet.Serialization;

/// <summary>Writes a file under a temporary name in the target's folder and renames it over the target.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// A crash or an exception leaves either the old file or the new one, never a torn file; with
    /// <paramref name="durable"/> the bytes reach the disk before the rename, so a power cut cannot either.
    /// </summary>
    public static void Write(string path, Action<FileStream> write, bool durable)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}

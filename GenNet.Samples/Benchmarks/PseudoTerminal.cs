using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace GenNet.Samples.Benchmarks;

/// <summary>
/// A pseudo-terminal pair (POSIX <c>posix_openpt</c>): <see cref="Writer"/> writes to the terminal side, as a program's
/// standard output does when it runs in a terminal (through the kernel's tty line discipline), and a background thread
/// reads the other side as a terminal emulator would, so writes never block. Used by <c>bench train</c> to measure the
/// progress bar drawing to a real terminal device in the same process as the contenders it is compared with.
/// </summary>
internal sealed class PseudoTerminal : IDisposable
{
    private const int ORdWr = 0x2;
    private const int ONoCtty = 0x100; // Linux's O_NOCTTY (0400): do not become the process's controlling terminal

    private readonly FileStream _master;
    private readonly FileStream _slave;
    private readonly Thread _reader;
    private long _bytesRead;

    private PseudoTerminal(FileStream master, FileStream slave)
    {
        _master = master;
        _slave = slave;
        Writer = new StreamWriter(slave, new UTF8Encoding(false), bufferSize: 4096) { AutoFlush = false };
        _reader = new Thread(Drain) { IsBackground = true, Name = "pty reader" };
        _reader.Start();
    }

    /// <summary>Writes to the terminal side (UTF-8).</summary>
    public TextWriter Writer { get; }

    /// <summary>Bytes the terminal side has delivered so far (proof that something was drawn).</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Opens a pseudo-terminal, or returns null with the reason where there is none (Windows, no /dev/pts).</summary>
    public static PseudoTerminal? TryOpen(out string? reason)
    {
        reason = null;
        if (!OperatingSystem.IsLinux())
        {
            reason = "pseudo-terminals are opened with Linux's posix_openpt only";
            return null;
        }
        var master = posix_openpt(ORdWr | ONoCtty);
        if (master < 0)
        {
            reason = $"posix_openpt failed (errno {Marshal.GetLastPInvokeError()})";
            return null;
        }
        var masterHandle = new SafeFileHandle(master, ownsHandle: true);
        var name = grantpt(master) == 0 && unlockpt(master) == 0 ? ptsname(master) : IntPtr.Zero;
        if (name == IntPtr.Zero)
        {
            reason = $"grantpt/unlockpt/ptsname failed (errno {Marshal.GetLastPInvokeError()})";
            masterHandle.Dispose();
            return null;
        }
        var slavePath = Marshal.PtrToStringAnsi(name)!;
        var slave = new FileStream(slavePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        if (isatty((int)slave.SafeFileHandle.DangerousGetHandle()) != 1)
        {
            reason = $"{slavePath} is not a terminal";
            slave.Dispose();
            masterHandle.Dispose();
            return null;
        }
        return new PseudoTerminal(new FileStream(masterHandle, FileAccess.Read, bufferSize: 0), slave);
    }

    private void Drain()
    {
        var buffer = new byte[16384];
        try
        {
            int n;
            while ((n = _master.Read(buffer, 0, buffer.Length)) > 0)
                Interlocked.Add(ref _bytesRead, n);
        }
        catch (IOException)
        {
            // EIO once the terminal side is closed: the end of the stream for a pty.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        Writer.Dispose();
        _slave.Dispose();
        _reader.Join(TimeSpan.FromSeconds(2));
        _master.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int posix_openpt(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int grantpt(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int unlockpt(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr ptsname(int fd);

    [DllImport("libc")]
    private static extern int isatty(int fd);
}

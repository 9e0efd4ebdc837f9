using System;

namespace GenNet.Native;

/// <summary>
/// libtorch cannot be used in this process. The message says what failed, which file was involved and what to do;
/// <see cref="Exception.InnerException"/> keeps the original error.
/// </summary>
public sealed class TorchNativeLoadException : Exception
{
    /// <summary>Creates the exception with an actionable message.</summary>
    public TorchNativeLoadException(string message, Exception? inner = null) : base(message, inner) { }
}

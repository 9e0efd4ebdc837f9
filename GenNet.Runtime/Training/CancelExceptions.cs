using System;

namespace GenNet.Training;

/// <summary>Thrown by a callback to skip the rest of the current batch (fastai's <c>CancelBatchException</c>).</summary>
public sealed class CancelBatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CancelBatchException() : base("The batch was cancelled by a callback.") { }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="message">Why the batch was cancelled.</param>
    public CancelBatchException(string message) : base(message) { }

    /// <summary>Creates the exception with a reason and a cause.</summary>
    /// <param name="message">Why the batch was cancelled.</param>
    /// <param name="innerException">The cause.</param>
    public CancelBatchException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Thrown by a callback to skip the rest of the current epoch, validation included.</summary>
public sealed class CancelEpochException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CancelEpochException() : base("The epoch was cancelled by a callback.") { }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="message">Why the epoch was cancelled.</param>
    public CancelEpochException(string message) : base(message) { }

    /// <summary>Creates the exception with a reason and a cause.</summary>
    /// <param name="message">Why the epoch was cancelled.</param>
    /// <param name="innerException">The cause.</param>
    public CancelEpochException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Thrown by a callback to stop fitting (e.g. early stopping); <c>AfterFit</c> still runs.</summary>
public sealed class CancelFitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CancelFitException() : base("The fit was cancelled by a callback.") { }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="message">Why the fit was stopped.</param>
    public CancelFitException(string message) : base(message) { }

    /// <summary>Creates the exception with a reason and a cause.</summary>
    /// <param name="message">Why the fit was stopped.</param>
    /// <param name="innerException">The cause.</param>
    public CancelFitException(string message, Exception innerException) : base(message, innerException) { }
}

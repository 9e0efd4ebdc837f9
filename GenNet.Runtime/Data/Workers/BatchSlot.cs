using System;
using System.Threading;

namespace GenNet.Data;

/// <summary>
/// One batch in flight between a loading thread and the consumer (the index and result queues of PyTorch's
/// <c>_MultiProcessingDataLoaderIter</c>, collapsed into one object per batch, since threads share memory): its indices,
/// then its batch or its error. A batch abandoned by a stopped epoch is disposed by whichever side comes last.
/// </summary>
internal sealed class BatchSlot<TBatch>(int[] indices, int epoch, int batchIndex, int seed)
{
    private const int Pending = 0, Finished = 1, Abandoned = 2;
    private int _state = Pending;

    public int[] Indices { get; } = indices;
    public int Epoch { get; } = epoch;
    public int BatchIndex { get; } = batchIndex;
    public int Seed { get; } = seed;
    // Little spinning: on a busy machine a spinning consumer takes the core a worker needs.
    public ManualResetEventSlim Done { get; } = new(false, spinCount: 1);
    public TBatch? Result { get; set; }
    public Exception? Error { get; private set; }
    public bool IsAbandoned => Volatile.Read(ref _state) == Abandoned;

    /// <summary>Loads the batch with <paramref name="load"/> on the calling thread (a worker, or the consumer helping).</summary>
    public void Run(Func<int[], DataLoaderContext, TBatch> load, int workerId, int workerCount, CancellationToken token)
    {
        if (IsAbandoned)
            return;
        var context = new DataLoaderContext(workerId, workerCount, Epoch, BatchIndex, Seed, token);
        try
        {
            Complete(load(Indices, context), null);
        }
        catch (Exception e)
        {
            Complete(default, e);
        }
    }

    private void Complete(TBatch? result, Exception? error)
    {
        lock (this)
        {
            if (_state == Abandoned)
            {
                BatchTensors.Dispose(result);
                return;
            }
            Result = result;
            Error = error;
            _state = Finished;
        }
        Done.Set();
    }

    /// <summary>The consumer no longer wants the batch: dispose it now if it is loaded, or when it is.</summary>
    public void Abandon()
    {
        lock (this)
        {
            if (_state == Finished)
                BatchTensors.Dispose(Result);
            Result = default;
            _state = Abandoned;
        }
    }
}

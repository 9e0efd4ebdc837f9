using System;
using System.Collections.Generic;
using System.Threading;

namespace GenNet.Data;

/// <summary>
/// The loader's worker threads (PyTorch's worker processes, <c>_utils/worker.py</c>): each takes the next queued
/// <see cref="BatchSlot{TBatch}"/> and loads it. Threads, not processes: nothing is pickled, and the dataset object is
/// shared.
/// </summary>
internal sealed class WorkerPool<TBatch> : IDisposable
{
    private const int DisposeJoinMilliseconds = 10_000;

    private readonly Func<int[], DataLoaderContext, TBatch> _load;
    private readonly Action<WorkerPool<TBatch>> _disposed;
    private readonly Queue<BatchSlot<TBatch>> _queue = new();
    private readonly Thread[] _threads;
    private readonly CancellationTokenSource _stop = new();
    private bool _stopping;

    /// <summary>Starts <paramref name="workers"/> threads that load with <paramref name="load"/>;
    /// <paramref name="disposed"/> is told once they have been stopped.</summary>
    public WorkerPool(int workers, Func<int[], DataLoaderContext, TBatch> load, Action<WorkerPool<TBatch>> disposed)
    {
        _load = load;
        _disposed = disposed;
        _threads = new Thread[workers];
        for (var id = 0; id < _threads.Length; id++)
        {
            var workerId = id;
            _threads[id] = new Thread(() => Run(workerId)) { IsBackground = true, Name = $"GenNet DataLoader worker {id}" };
            DataLoaderWorkers.Started();
            _threads[id].Start();
        }
    }

    public int WorkerCount => _threads.Length;

    /// <summary>A queued batch for the consumer to load itself, or <see langword="null"/>.</summary>
    public BatchSlot<TBatch>? TryTake()
    {
        lock (_queue)
            return _queue.Count > 0 && !_stopping ? _queue.Dequeue() : null;
    }

    public void Enqueue(BatchSlot<TBatch> slot)
    {
        lock (_queue)
        {
            _queue.Enqueue(slot);
            Monitor.Pulse(_queue);
        }
    }

    /// <summary>Loads <paramref name="slot"/> on the calling thread as worker <paramref name="workerId"/>.</summary>
    public void Load(BatchSlot<TBatch> slot, int workerId, CancellationToken token) => slot.Run(_load, workerId, _threads.Length, token);

    private void Run(int workerId)
    {
        try
        {
            while (true)
            {
                BatchSlot<TBatch> slot;
                lock (_queue)
                {
                    while (_queue.Count == 0 && !_stopping)
                        Monitor.Wait(_queue);
                    if (_stopping)
                        return;
                    slot = _queue.Dequeue();
                }
                Load(slot, workerId, _stop.Token);
            }
        }
        finally
        {
            DataLoaderWorkers.Stopped();
        }
    }

    /// <summary>Stops the threads and joins them (a thread stuck in user code gets up to 10 s; it is a background thread).</summary>
    public void Dispose()
    {
        lock (_queue)
        {
            if (_stopping)
                return;
            _stopping = true;
            _queue.Clear();
            Monitor.PulseAll(_queue);
        }
        _stop.Cancel();
        foreach (var thread in _threads)
        {
            if (thread != Thread.CurrentThread)
                thread.Join(DisposeJoinMilliseconds);
        }
        _disposed(this);
    }
}

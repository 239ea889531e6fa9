//! Fork-join over the worker threads that share this instance's memory. In the threaded build
//! (`+atomics`), each Web Worker / worker_thread parks in `worker_loop`; `parallel_for` on the
//! calling (main) thread publishes a job, wakes them, claims tasks itself and spins until every
//! task has finished, so kernels stay synchronous for JavaScript. Where the caller may block
//! (Node's main thread) it then sleeps on `memory.atomic.wait` until the last task's notify,
//! leaving the core to the workers; a browser's main thread may not block, so it spins.
//! Without atomics (the single-threaded build and host tests) `parallel_for` runs serially.
//! Callers split work so that each output element is computed by the same operations whatever
//! the thread count: results are bit-identical for 1 or N threads.

#[cfg(target_feature = "atomics")]
mod pool {
    use core::arch::wasm32::{memory_atomic_notify, memory_atomic_wait32};
    use core::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};

    /// Workers parked in `worker_loop`.
    static WORKERS: AtomicUsize = AtomicUsize::new(0);
    /// Threads the backend asked for (the caller included); 1 keeps work on the caller.
    static LIMIT: AtomicUsize = AtomicUsize::new(1);
    /// Bumped once per job; workers wait on it.
    static GENERATION: AtomicI32 = AtomicI32::new(0);
    /// 1 while the published job's fields are valid.
    static OPEN: AtomicUsize = AtomicUsize::new(0);
    /// Workers between waking and giving up on a job: fields are rewritten only at 0.
    static ACTIVE: AtomicUsize = AtomicUsize::new(0);
    /// 1 when the calling thread may block on memory.atomic.wait (not a browser's main thread).
    static CAN_BLOCK: AtomicUsize = AtomicUsize::new(0);
    /// Spins before the caller sleeps: most tasks end within this, and a wake-up costs more.
    const SPINS_BEFORE_WAIT: usize = 4096;
    /// 1 while a job runs: a nested `parallel_for` (from inside a task) runs serially.
    static BUSY: AtomicUsize = AtomicUsize::new(0);
    static TASKS: AtomicUsize = AtomicUsize::new(0);
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    static DONE: AtomicI32 = AtomicI32::new(0);
    /// The job closure `&dyn Fn(usize) + Sync`, as its two words.
    static JOB: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];

    type Job<'a> = &'a (dyn Fn(usize) + Sync);

    pub fn set_threads(n: usize, caller_can_block: bool) {
        CAN_BLOCK.store(caller_can_block as usize, SeqCst);
        LIMIT.store(n.max(1), SeqCst);
    }

    pub fn threads() -> usize {
        LIMIT.load(SeqCst).min(WORKERS.load(SeqCst) + 1)
    }

    /// Claims and runs tasks of the open job until none is left.
    fn run_tasks() {
        let words = [JOB[0].load(SeqCst), JOB[1].load(SeqCst)];
        // SAFETY: written from a live `Job` by `parallel_for`, which keeps it alive until
        // DONE == TASKS and rewrites it only when no worker is ACTIVE.
        let job: Job = unsafe { core::mem::transmute::<[usize; 2], Job>(words) };
        let tasks = TASKS.load(SeqCst);
        loop {
            let t = NEXT.fetch_add(1, SeqCst);
            if t >= tasks {
                return;
            }
            job(t);
            if DONE.fetch_add(1, SeqCst) + 1 == tasks as i32 {
                // SAFETY: notify on the static the caller may be waiting on.
                unsafe { memory_atomic_notify(DONE.as_ptr(), 1) };
            }
        }
    }

    pub fn worker_loop() -> ! {
        let mut seen = GENERATION.load(SeqCst);
        WORKERS.fetch_add(1, SeqCst);
        loop {
            // Spin first, as the caller does: kernels often come in quick succession (a training
            // step's convolutions), and a sleeping worker wakes too late for a short job.
            let mut spins = 0;
            while GENERATION.load(SeqCst) == seen {
                if spins < SPINS_BEFORE_WAIT {
                    spins += 1;
                    core::hint::spin_loop();
                    continue;
                }
                // SAFETY: waiting on a static i32 of the shared memory (workers may block).
                unsafe { memory_atomic_wait32(GENERATION.as_ptr(), seen, -1) };
            }
            seen = GENERATION.load(SeqCst);
            ACTIVE.fetch_add(1, SeqCst);
            if OPEN.load(SeqCst) == 1 {
                run_tasks();
            }
            ACTIVE.fetch_sub(1, SeqCst);
        }
    }

    pub fn parallel_for(tasks: usize, f: &(dyn Fn(usize) + Sync)) {
        if tasks <= 1 || threads() <= 1 || BUSY.swap(1, SeqCst) == 1 {
            for t in 0..tasks {
                f(t);
            }
            return;
        }
        while ACTIVE.load(SeqCst) != 0 {
            core::hint::spin_loop();
        }
        // SAFETY: a fat reference is two words; see run_tasks.
        let words: [usize; 2] = unsafe { core::mem::transmute::<Job, [usize; 2]>(f) };
        JOB[0].store(words[0], SeqCst);
        JOB[1].store(words[1], SeqCst);
        TASKS.store(tasks, SeqCst);
        NEXT.store(0, SeqCst);
        DONE.store(0, SeqCst);
        OPEN.store(1, SeqCst);
        GENERATION.fetch_add(1, SeqCst);
        // SAFETY: notify on the static the workers wait on.
        unsafe { memory_atomic_notify(GENERATION.as_ptr() as *mut i32, u32::MAX) };
        run_tasks();
        let block = CAN_BLOCK.load(SeqCst) == 1;
        let mut spins = 0;
        loop {
            let done = DONE.load(SeqCst);
            if done >= tasks as i32 {
                break;
            }
            if block && spins >= SPINS_BEFORE_WAIT {
                // SAFETY: returns at once if DONE moved on; the last task notifies.
                unsafe { memory_atomic_wait32(DONE.as_ptr(), done, -1) };
            } else {
                spins += 1;
                core::hint::spin_loop();
            }
        }
        OPEN.store(0, SeqCst);
        BUSY.store(0, SeqCst);
    }
}

#[cfg(not(target_feature = "atomics"))]
mod pool {
    pub fn set_threads(_n: usize, _caller_can_block: bool) {}

    pub fn threads() -> usize {
        1
    }

    pub fn worker_loop() -> ! {
        panic!("worker_loop needs the threaded (+atomics) build")
    }

    pub fn parallel_for(tasks: usize, f: &(dyn Fn(usize) + Sync)) {
        for t in 0..tasks {
            f(t);
        }
    }
}

/// Sets how many threads kernels may use, the caller included (1: the caller alone), and
/// whether the caller may block while waiting for them (false on a browser's main thread).
pub fn set_threads(n: usize, caller_can_block: bool) {
    pool::set_threads(n, caller_can_block)
}

/// Threads a `parallel_for` would use now: the limit, at most the parked workers plus one.
pub fn threads() -> usize {
    pool::threads()
}

/// Parks the calling worker thread forever, running the tasks of each job it is woken for.
pub fn worker_loop() -> ! {
    pool::worker_loop()
}

/// A value handed to every task of a `parallel_for`: kernel operands are raw pointers, which
/// are not Sync; tasks only read them, or write parts of an output no other task writes.
pub struct Shared<T>(pub T);
// SAFETY: see above; each caller keeps its tasks' writes disjoint.
unsafe impl<T> Sync for Shared<T> {}

impl<T: Copy> Shared<T> {
    /// A method, not a field access: a closure then captures the whole (Sync) wrapper.
    pub fn get(&self) -> T {
        self.0
    }
}

/// Runs `f(0..tasks)`, spread over the threads; returns when all have finished.
pub fn parallel_for(tasks: usize, f: &(dyn Fn(usize) + Sync)) {
    pool::parallel_for(tasks, f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_task_runs_once() {
        let hits: Vec<AtomicUsize> = (0..7).map(|_| AtomicUsize::new(0)).collect();
        parallel_for(7, &|t| {
            hits[t].fetch_add(1, Ordering::SeqCst);
        });
        assert!(hits.iter().all(|h| h.load(Ordering::SeqCst) == 1));
        assert_eq!(threads(), 1);
    }
}

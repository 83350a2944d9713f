//! The one policy for a poisoned std lock: take the value and go on.
//!
//! A std `Mutex` or `RwLock` is poisoned when a thread panicked while holding it. The
//! default answer, `lock().unwrap()`, turns that one panic into a panic of every later
//! caller: one bug in a cache or a counter would take every request and the download queue
//! down with it. The state behind this crate's locks is caches, counters, slots and small
//! maps, each changed in a step that leaves it usable (a panic between two such steps leaves
//! a stale entry at worst), and the panic itself has already been reported. So every lock is
//! taken through [`MutexRecover`] or [`RwLockRecover`], which hand back the guard of a
//! poisoned lock too.
//!
//! (Tokio's locks, used where a guard is held across an `.await`, do not poison.)

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A std mutex taken whether or not it is poisoned (see the module's documentation).
pub trait MutexRecover<T: ?Sized> {
    /// The guard, waiting for it.
    fn lock_or_recover(&self) -> MutexGuard<'_, T>;
}

impl<T: ?Sized> MutexRecover<T> for Mutex<T> {
    fn lock_or_recover(&self) -> MutexGuard<'_, T> {
        self.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A std read-write lock taken whether or not it is poisoned (see the module's
/// documentation).
pub trait RwLockRecover<T: ?Sized> {
    /// A shared guard, waiting for it.
    fn read_or_recover(&self) -> RwLockReadGuard<'_, T>;
    /// The exclusive guard, waiting for it.
    fn write_or_recover(&self) -> RwLockWriteGuard<'_, T>;
}

impl<T: ?Sized> RwLockRecover<T> for RwLock<T> {
    fn read_or_recover(&self) -> RwLockReadGuard<'_, T> {
        self.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_or_recover(&self) -> RwLockWriteGuard<'_, T> {
        self.write().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_poisoned_by_a_panic_still_hands_out_its_value() {
        let counter = std::sync::Arc::new(Mutex::new(1));
        let held = counter.clone();
        let _ = std::thread::spawn(move || {
            let _guard = held.lock().unwrap();
            panic!("poison it");
        })
        .join();
        assert!(counter.is_poisoned());
        *counter.lock_or_recover() += 1;
        assert_eq!(*counter.lock_or_recover(), 2);

        let slot = RwLock::new(Some(3));
        *slot.write_or_recover() = None;
        assert_eq!(*slot.read_or_recover(), None);
    }
}

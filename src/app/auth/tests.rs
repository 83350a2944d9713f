//! The authentication use cases against the store in memory.

use super::*;
use crate::adapters::clock::ManualClock;
use crate::adapters::store::Store;

async fn service() -> (AuthService, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let store = Arc::new(Store::in_memory().unwrap());
    (AuthService::new(store, clock.clone()).await.unwrap(), clock)
}

#[tokio::test]
async fn a_token_from_login_verifies_until_it_expires() {
    let (auth, clock) = service().await;
    auth.setup("Secr3t!pass").await.unwrap();
    let session = auth.login("ip", "Secr3t!pass", false).await.unwrap();
    assert!(auth.verify(&session.token).is_some());
    clock.advance(chrono::Duration::hours(24));
    assert!(auth.verify(&session.token).is_none());
}

#[tokio::test]
async fn a_logged_out_token_is_refused() {
    let (auth, _) = service().await;
    auth.setup("Secr3t!pass").await.unwrap();
    let session = auth.login("ip", "Secr3t!pass", true).await.unwrap();
    let claims = auth.verify(&session.token).unwrap();
    auth.logout(&claims).await.unwrap();
    assert!(auth.verify(&session.token).is_none());
}

#[tokio::test]
async fn the_fifth_wrong_password_locks_even_the_right_one_out() {
    let (auth, clock) = service().await;
    auth.setup("Secr3t!pass").await.unwrap();
    for _ in 0..4 {
        assert!(matches!(
            auth.login("ip", "wrong", false).await,
            Err(AuthError::InvalidCredentials)
        ));
    }
    assert!(matches!(
        auth.login("ip", "wrong", false).await,
        Err(AuthError::LockedOut { .. })
    ));
    assert!(matches!(
        auth.login("ip", "Secr3t!pass", false).await,
        Err(AuthError::LockedOut { .. })
    ));
    // Another client is not locked out.
    assert!(auth.login("other", "Secr3t!pass", false).await.is_ok());
    clock.advance(Lockout::COOLDOWN);
    assert!(auth.login("ip", "Secr3t!pass", false).await.is_ok());
}

#[tokio::test]
async fn an_overlong_password_is_a_failed_login_without_hashing() {
    let (auth, _) = service().await;
    auth.setup("Secr3t!pass").await.unwrap();
    let huge = "x".repeat(100_000);
    assert!(matches!(
        auth.login("ip", &huge, false).await,
        Err(AuthError::InvalidCredentials)
    ));
    assert_eq!(
        auth.store.login_failures("ip".into()).await.unwrap().count,
        1
    );
}

#[tokio::test]
async fn setup_refuses_a_weak_password_and_a_second_call() {
    let (auth, _) = service().await;
    assert!(matches!(
        auth.setup("weak").await,
        Err(AuthError::Policy(_))
    ));
    assert!(!auth.is_configured());
    auth.setup("Secr3t!pass").await.unwrap();
    assert!(matches!(
        auth.setup("Other1!pass").await,
        Err(AuthError::AlreadyConfigured)
    ));
}

//! [`AuthStore`] on redb.

use async_trait::async_trait;
use rand::RngCore;
use redb::{ReadableTable, ReadableTableMetadata};

use super::tables::{API_KEYS, AUTH, LOGIN_FAILURES, META, REVOKED_TOKENS};
use super::{OrUnavailable, Store, decode, encode};
use crate::domain::api_key::ApiKey;
use crate::domain::auth::LoginFailures;
use crate::ports::{AuthStore, StoreError};

const PASSWORD_HASH: &str = "password_hash";
const JWT_SECRET: &str = "jwt_secret";

#[async_trait]
impl AuthStore for Store {
    async fn password_hash(&self) -> Result<Option<String>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(AUTH).or_unavailable()?;
            let value = table.get(PASSWORD_HASH).or_unavailable()?;
            value
                .map(|v| {
                    String::from_utf8(v.value().to_vec())
                        .map_err(|e| StoreError::Corrupt(e.to_string()))
                })
                .transpose()
        })
        .await
    }

    async fn set_password_hash_once(&self, phc: String) -> Result<bool, StoreError> {
        self.write(move |txn| {
            let mut table = txn.open_table(AUTH).or_unavailable()?;
            if table.get(PASSWORD_HASH).or_unavailable()?.is_some() {
                return Ok(false);
            }
            table
                .insert(PASSWORD_HASH, phc.as_bytes())
                .or_unavailable()?;
            Ok(true)
        })
        .await
    }

    async fn jwt_secret(&self) -> Result<Vec<u8>, StoreError> {
        self.write(|txn| {
            let mut table = txn.open_table(AUTH).or_unavailable()?;
            if let Some(secret) = table.get(JWT_SECRET).or_unavailable()? {
                return Ok(secret.value().to_vec());
            }
            let mut secret = vec![0u8; 64];
            rand::rng().fill_bytes(&mut secret);
            table
                .insert(JWT_SECRET, secret.as_slice())
                .or_unavailable()?;
            Ok(secret)
        })
        .await
    }

    async fn revoke(&self, jti: String, exp: i64, now: i64) -> Result<(), StoreError> {
        self.write(move |txn| {
            let mut table = txn.open_table(REVOKED_TOKENS).or_unavailable()?;
            table.retain(|_, expiry| expiry > now).or_unavailable()?;
            table.insert(jti.as_str(), exp).or_unavailable()?;
            Ok(())
        })
        .await
    }

    async fn revoked(&self) -> Result<Vec<(String, i64)>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(REVOKED_TOKENS).or_unavailable()?;
            let mut out = Vec::with_capacity(table.len().or_unavailable()? as usize);
            for entry in table.iter().or_unavailable()? {
                let (k, v) = entry.or_unavailable()?;
                out.push((k.value().to_owned(), v.value()));
            }
            Ok(out)
        })
        .await
    }

    async fn login_failures(&self, client: String) -> Result<LoginFailures, StoreError> {
        self.read(move |txn| {
            let table = txn.open_table(LOGIN_FAILURES).or_unavailable()?;
            match table.get(client.as_str()).or_unavailable()? {
                Some(v) => decode(v.value()),
                None => Ok(LoginFailures::default()),
            }
        })
        .await
    }

    async fn set_login_failures(
        &self,
        client: String,
        failures: LoginFailures,
    ) -> Result<(), StoreError> {
        let bytes = encode(&failures)?;
        self.write(move |txn| {
            let mut table = txn.open_table(LOGIN_FAILURES).or_unavailable()?;
            if failures == LoginFailures::default() {
                table.remove(client.as_str()).or_unavailable()?;
            } else {
                table
                    .insert(client.as_str(), bytes.as_slice())
                    .or_unavailable()?;
            }
            Ok(())
        })
        .await
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(API_KEYS).or_unavailable()?;
            let mut keys = Vec::new();
            for entry in table.iter().or_unavailable()? {
                let (_, v) = entry.or_unavailable()?;
                keys.push(decode(v.value())?);
            }
            Ok(keys)
        })
        .await
    }

    async fn put_api_key(&self, key: ApiKey) -> Result<(), StoreError> {
        let bytes = encode(&key)?;
        self.write(move |txn| {
            let mut table = txn.open_table(API_KEYS).or_unavailable()?;
            table
                .insert(key.id.as_str(), bytes.as_slice())
                .or_unavailable()?;
            Ok(())
        })
        .await
    }

    async fn remove_api_key(&self, id: String) -> Result<bool, StoreError> {
        self.write(move |txn| {
            let mut table = txn.open_table(API_KEYS).or_unavailable()?;
            Ok(table.remove(id.as_str()).or_unavailable()?.is_some())
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.write(|txn| {
            let mut meta = txn.open_table(META).or_unavailable()?;
            meta.insert("last_ping", 1).or_unavailable()?;
            Ok(())
        })
        .await?;
        self.read(|txn| {
            let meta = txn.open_table(META).or_unavailable()?;
            meta.get("last_ping")
                .or_unavailable()?
                .map(|_| ())
                .ok_or_else(|| StoreError::Corrupt("ping lost".into()))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_password_hash_is_set_only_once() {
        let store = Store::in_memory().unwrap();
        assert_eq!(store.password_hash().await.unwrap(), None);
        assert!(store.set_password_hash_once("first".into()).await.unwrap());
        assert!(!store.set_password_hash_once("second".into()).await.unwrap());
        assert_eq!(
            store.password_hash().await.unwrap().as_deref(),
            Some("first")
        );
    }

    #[tokio::test]
    async fn the_jwt_secret_is_random_and_stable() {
        let a = Store::in_memory().unwrap();
        let b = Store::in_memory().unwrap();
        let secret = a.jwt_secret().await.unwrap();
        assert_eq!(secret.len(), 64);
        assert_eq!(a.jwt_secret().await.unwrap(), secret);
        assert_ne!(b.jwt_secret().await.unwrap(), secret);
    }

    #[tokio::test]
    async fn expired_revocations_are_dropped_on_the_next_revoke() {
        let store = Store::in_memory().unwrap();
        store.revoke("old".into(), 100, 50).await.unwrap();
        store.revoke("new".into(), 300, 200).await.unwrap();
        assert_eq!(
            store.revoked().await.unwrap(),
            vec![("new".to_owned(), 300)]
        );
    }

    #[tokio::test]
    async fn a_database_file_keeps_its_data_across_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aniworld.redb");
        {
            let store = Store::open(&path).unwrap();
            store.revoke("j".into(), 10, 0).await.unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.revoked().await.unwrap().len(), 1);
        store.ping().await.unwrap();
    }
}

//! Token movements and fees decoded from real mainnet transactions.
//!
//! Sources (each transaction's hash or signature was checked against its published one):
//! - USDC `transfer`, EIP-1559, tx 0xcd58fbee0f90c4b7136a5af85876090dd1593e4580f840bcf0a7b9219772a5d4
//!   (Polkadot-Blockchain-Academy/pba-content, Smart Contracts 101 slides, from etherscan).
//! - USDT `transferFrom`, EIP-1559, mainnet block 14,764,013 (ethereum/trin,
//!   `trin-core/src/types/block_body.rs`, `TX10`; the test there checks the block's
//!   transactions root).
//! - USDT `approve` of 2^256 − 1, legacy, tx 0x885525dbd0a74e58570a0e96a851225cb8f5c690c49b554d9a69c79389ac0374
//!   (consenlabs/token-core-monorepo, `token-core/tcx-eth/src/transaction_types.rs`).
//! - SPL `TransferChecked` of 4,000 SRM units, tx 3vZ67CGoRYkuT76TtpP2VrtTPBfnvG2xj6mUTvvux46qbnpThgQDgm27nC3yQVUZrABFjT9Qo7vA74tCjtV5P9Xg,
//!   and a stake delegation with a Compute Budget price (1,000 micro-lamports) and limit
//!   (10,000 units), tx 2DRUt4Q3BxYPB1Whd4MyekByh4pXWgrfQAybZ3obeNReR96sKYX1pZgZV12NUkLXJRb1c6ffAcEx1Eu7kYmA6zqH
//!   (trustwallet/wallet-core, `rust/tw_tests/tests/chains/solana/solana_sign.rs`); only the
//!   messages are used here.

mod common;

use common::hex;
use zenrock_chain_formats::{
	parse_transaction,
	token::{TokenAction, TokenMovement},
	Chain, Error, KeyType, PublicKey, TransactionKind,
};

const USDC_TRANSFER: &str = "02f8b3018313c1748387841585746a528800830249f094a0b86991c6218b36c1d19d4a2e9eb0ce3606eb4880b844a9059cbb000000000000000000000000ba04f1c1e4577165dd2297d3fbedf956b0e4c8a70000000000000000000000000000000000000000000000000000000004cc7c30c080a0c330502a046982553df56842433dfb1f318c980724bfd30be53e6461cea620aca025217d80ae9538009b3b24ab83fdac6df67982b433f74488d2c14fee41ca2d79";
const USDT_TRANSFER_FROM: &str = "02f8d5018303df9b85024d7d6c8085e8d4a51000830129bd94dac17f958d2ee523a2206206994597c13d831ec780b86423b872dd000000000000000000000000b24abf582bab677c3bc8aa60706d212284a35b510000000000000000000000007abe0ce388281d2acf297cb089caef3819b134480000000000000000000000000000000000000000000000000000002fcc3cce80c080a04e00eddba90216b710b07c3725523848b4bf7288cfbbcdc3f84d70fe11c3e36fa01a6cb515d48c3c60b8cebecc6994f5829d6a879c4cbb0de187856eb2c926be8f";
const USDT_APPROVE_UNLIMITED: &str = "f8a8808503dea3b69c82d03294dac17f958d2ee523a2206206994597c13d831ec780b844095ea7b30000000000000000000000008a42d311d282bfcaa5133b2de0a8bcdbecea3073ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff269f5327baacf5a3ae6523c6e6ebaa0cd8f98a8ac513c1baed06ec4811b1cfd979a04e4a4714104d70a6f6b91e80846ff8864aa5343e3afcd9ec59683fb011059cfb";
const SRM_TRANSFER_CHECKED_MESSAGE: &str = "0100020594c3890fa8d4bc04ab2a676d2cafea5cdc899ecd95a9cbe593e9df258759685ac45358bf73b2c596739d02afc1f9cd1da7b8755f91fc4a7a860a0810c04794e22544558bb05c2698f88852a7925c5c0ee5ea8711ddb3fe1262150283eee81163068310861a98327d0550574d84418aa6e10c3352ddaa7fd7f58152cceeb2388706ddf6e1d765a193d9cbe146ceeb79ac1cb485ed5f5b37913a8cf5857eff00a9a8f76432ee9bf7af1063ea2d8b7e5a3eec2a5a01cd67aba11a5978c1a403b065010404010302000a0ca00f00000000000006";
const STAKE_WITH_PRIORITY_FEE_MESSAGE: &str = "0100080ae2644d2b796240c57be053c8b553d50d8f563bd05477a9df4685488d6c72d5671a474ced62409b43e06e6b363ec4b98144b2e5449f354f543a81e4fb19322fdf06a7d517192c5c51218cc94c3d4af17f58daee089ba1fd44e3dbd98a000000009c3462a54c91be138f3262a6cc25ab850213da87a96c19ce8d6909d2f2af3ca406a7d51718c774c928566398691d5eb68b5eb8a39b4b6d5c73555b210000000006a7d517193584d0feed9bb3431d13206be544281b57b8566cc5375ff400000006a1d817a502050b680791e6ce6db88e1e5b7150f61fc6790a4eb4d1000000000306466fe5211732ffecadba72c39be7bc8ce5bbc5f7126b2c439b3a40000000000000000000000000000000000000000000000000000000000000000000000006a1d8179137542a983437bdfe2a7ab2557f535c8a78722b68a49dc000000000668ce77a471e7e4ee2d7c620882b5f451d37231f692f35bc8bbd438f98e2ab4c0507000903e803000000000000070005021027000008030001007c03000000e2644d2b796240c57be053c8b553d50d8f563bd05477a9df4685488d6c72d567200000000000000037754b43683557526f4c646962354c666358344e455446634a726f51506a48568096980000000000c80000000000000006a1d8179137542a983437bdfe2a7ab2557f535c8a78722b68a49dc000000000090201027400000000e2644d2b796240c57be053c8b553d50d8f563bd05477a9df4685488d6c72d567e2644d2b796240c57be053c8b553d50d8f563bd05477a9df4685488d6c72d56700000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000009060103040506000402000000";

/// The unsigned form of a signed mainnet transaction, parsed for chain 1 with a key of ours
/// (the parser does not need the sender).
fn parse_evm(signed: &str) -> Result<zenrock_chain_formats::ParsedTransaction, Error> {
	let (unsigned, ..) = common::unsign_evm(&hex(signed));
	let key = common::public_key(&common::signing_key(&[7; 32]), KeyType::EcdsaSecp256k1);
	parse_transaction(&Chain::Evm { chain_id: 1 }, &key, &unsigned)
}

#[test]
fn usdc_transfer() {
	let parsed = parse_evm(USDC_TRANSFER).unwrap();
	assert_eq!(parsed.kind, TransactionKind::TokenTransfer);
	assert_eq!(
		parsed.token,
		Some(TokenMovement {
			action: TokenAction::Transfer,
			token: Some("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48".into()),
			amount: Some(80_510_000),
			counterparty: Some("0xBA04f1c1E4577165dD2297D3FbEdF956B0e4C8a7".into()),
		})
	);
	assert_eq!(parsed.value, Some(0));
	// gas 0x249f0 × maxFeePerGas 0x746a528800.
	assert_eq!(parsed.fee, Some(0x249f0 * 0x746a528800));
	// The transaction's own recipient is the token contract.
	assert_eq!(parsed.recipient.as_deref(), Some("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"));
}

#[test]
fn usdt_transfer_from() {
	let parsed = parse_evm(USDT_TRANSFER_FROM).unwrap();
	assert_eq!(parsed.kind, TransactionKind::TokenTransfer);
	let movement = parsed.token.unwrap();
	assert_eq!(movement.token.as_deref(), Some("0xdAC17F958D2ee523a2206206994597C13D831ec7"));
	assert_eq!(movement.amount, Some(205_290_000_000));
	// The tokens go to the `to` argument (the second), not to the `from` one.
	assert_eq!(
		movement.counterparty.map(|address| address.to_lowercase()).as_deref(),
		Some("0x7abe0ce388281d2acf297cb089caef3819b13448")
	);
}

#[test]
fn unlimited_usdt_approval_has_an_unknown_amount() {
	let parsed = parse_evm(USDT_APPROVE_UNLIMITED).unwrap();
	assert_eq!(parsed.kind, TransactionKind::TokenApproval);
	let movement = parsed.token.unwrap();
	assert_eq!(movement.action, TokenAction::Approval);
	// 2^256 − 1 does not fit 128 bits: unknown, so no rule bounding it is ever satisfied.
	assert_eq!(movement.amount, None);
	assert_eq!(
		movement.counterparty.map(|address| address.to_lowercase()).as_deref(),
		Some("0x8a42d311d282bfcaa5133b2de0a8bcdbecea3073")
	);
}

#[test]
fn malformed_erc20_calldata_is_refused() {
	let transfer = hex(USDC_TRANSFER);
	let (unsigned, ..) = common::unsign_evm(&transfer);
	let parsed = zenrock_chain_formats::evm::parse(&unsigned, 1).unwrap();
	let contract = parsed.to.unwrap();
	let data = parsed.data.clone();
	use zenrock_chain_formats::token::decode_erc20;
	// Truncated, extended, and with a dirty address word.
	assert_eq!(decode_erc20(&contract, &data[..data.len() - 1]), Err(Error::MalformedTokenCall));
	let mut longer = data.clone();
	longer.push(0);
	assert_eq!(decode_erc20(&contract, &longer), Err(Error::MalformedTokenCall));
	let mut dirty = data.clone();
	dirty[4] = 1;
	assert_eq!(decode_erc20(&contract, &dirty), Err(Error::MalformedTokenCall));
	// An unknown selector is a contract call, not an error.
	let mut other = data.clone();
	other[0] ^= 0xff;
	assert_eq!(decode_erc20(&contract, &other), Ok(None));
	assert_eq!(decode_erc20(&contract, &[]), Ok(None));
}

fn parse_solana(message: &str) -> zenrock_chain_formats::ParsedTransaction {
	let message = hex(message);
	// The fee payer (first account key) is the signer.
	let signer = PublicKey::parse(KeyType::Ed25519, &message[4..36]).unwrap();
	parse_transaction(&Chain::Solana, &signer, &message).unwrap()
}

#[test]
fn spl_transfer_checked() {
	let parsed = parse_solana(SRM_TRANSFER_CHECKED_MESSAGE);
	assert_eq!(parsed.kind, TransactionKind::TokenTransfer);
	assert_eq!(
		parsed.token,
		Some(TokenMovement {
			action: TokenAction::Transfer,
			token: Some("SRMuApVNdxXokk5GT7XD5cUUgXMBCoAz2LHeuAoKWRt".into()),
			amount: Some(4_000),
			// The destination token account.
			counterparty: Some("3WUX9wASxyScbA7brDipioKfXS1XEYkQ4vo3Kej9bKei".into()),
		})
	);
	// One signature, no Compute Budget instruction.
	assert_eq!(parsed.fee, Some(5_000));
}

#[test]
fn solana_priority_fee() {
	let parsed = parse_solana(STAKE_WITH_PRIORITY_FEE_MESSAGE);
	// 5,000 for the signature + ceil(1,000 µlamports × 10,000 units / 10^6) = 10.
	assert_eq!(parsed.fee, Some(5_010));
	assert_eq!(parsed.token, None);
	assert_eq!(parsed.kind, TransactionKind::Call);
}

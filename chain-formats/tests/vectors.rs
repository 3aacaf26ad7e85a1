//! Published test vectors: EIP-155, EIP-2930, EIP-1559, BIP-143, EIP-55, BIP-173, SS58, Cosmos,
//! Solana.

mod common;

use common::{hex, pad32, public_key, sign_prehash, signing_key, to_hex, unsign_evm};
use zenrock_chain_formats::{
	address::{
		bitcoin_p2wpkh_address, cosmos_address, evm_address, evm_checksum_address,
		parse_evm_address, solana_address, ss58_address,
	},
	assemble_signed_transaction,
	bitcoin::{decode_transaction, p2wpkh_script_code},
	derive_address, evm,
	signature::{recover_secp256k1, verify_der, verify_ecdsa, RecoverableSignature},
	AddressFormat, BitcoinNetwork, Chain, Error, KeyType, Preimage, PreimageHash, PublicKey,
};

// EIP-155 example: nonce 9, gasPrice 20 gwei, gas 21000, to 0x3535…35, value 1 ether, chain 1.
const EIP155_SIGNING_DATA: &str =
	"ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080";
const EIP155_SIGNING_HASH: &str =
	"daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53";
const EIP155_SIGNED: &str = "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

// Mainnet EIP-1559 transaction 0x0ec0b6a2…ee0 (sender 0xdd6b8b3d…4cea).
const EIP1559_SIGNED: &str = "02f8b00142843b9aca008504a817c80082ad62946069a6c32cf691f5982febae4faf8a6f3ab2f0f680b844a22cb4650000000000000000000000005eee75727d804a2b13038928d36f8b188945a57a0000000000000000000000000000000000000000000000000000000000000000c080a0840cfc572845f5786e702984c2a582528cad4b49b2a10b9db1be7fca90058565a025e7109ceb98168d95b09b18bbf6b685130e0562f233877d492b94eee0c5b6d1";
const EIP1559_HASH: &str = "0ec0b6a2df4d87424e5f6ad2a654e27aaeb7dac20ae9e8385cc09087ad532ee0";

// An EIP-2930 transaction with a non-empty access list (chain 1).
const EIP2930_SIGNED: &str = "01f89b01800a8301e974943068947c19dbbc5a170610a69c65e341f0a0b7458080f838f7940000000000000000000000000000000000000000e1a0000000000000000000000000000000000000000000000000000000000000000001a0712d63f4983ce033255f9adfe3b159f465766eac906591091e3ad03ffc06ad16a0078e21a3501b9fc9b9b9e223cc19768be044d5c7c6faf1fbc0f5aa4deb325fe9";
const EIP2930_SIGNING_HASH: &str =
	"aa9a862c95f3f72aa762fb89951dccb593f1c3078cb258480a78b7728f94fc5b";

// A mainnet legacy EIP-155 transaction (v = 37) with call data.
const LEGACY_MAINNET_SIGNED: &str = "f9015482078b8505d21dba0083022ef1947a250d5630b4cf539739df2c5dacb4c659f2488d880c46549a521b13d8b8e47ff36ab50000000000000000000000000000000000000000000066ab5a608bd00a23f2fe000000000000000000000000000000000000000000000000000000000000008000000000000000000000000048c04ed5691981c42154c6167398f95e8f38a7ff00000000000000000000000000000000000000000000000000000000632ceac70000000000000000000000000000000000000000000000000000000000000002000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc20000000000000000000000006c6ee5e31d828de241282b9606c8e98ea48526e225a0c9077369501641a92ef7399ff81c21639ed4fd8fc69cb793cfa1dbfab342e10aa0615facb2f1bcf3274a354cfe384a38d0cc008a11c2dd23a69111bc6930ba27a8";
const LEGACY_MAINNET_SIGNING_HASH: &str =
	"379ff32b417de419215242f8c5c2f7fe533948b45f0dbe842f7300f889b263ef";

// BIP-143 "Native P2WPKH" example.
const BIP143_UNSIGNED: &str = "0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000";
const BIP143_SIGHASH_1: &str = "c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670";
/// BIP-143 "Native P2WPKH" example: the published `hashPreimage` of input 1.
const BIP143_PREIMAGE_1: &str = "0100000096b827c8483d4e9b96712b6713a7b68d6e8003a781feba36c31143470b4efd3752b0a642eea2fb7ae638c36f6252b6750293dbe574a806984b8e4d8548339a3bef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a010000001976a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac0046c32300000000ffffffff863ef3e1a92afbfdb97f31ad0fc7683ee943e9abcf2501590ff8f6551f47e5e51100000001000000";
const BIP143_KEY_1: &str = "025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357";
const BIP143_SECRET_1: &str = "619c335025c7f4012e556c2a58b2506e30b8511b53ade95ea316fd8c3286feb9";
const BIP143_DER_1: &str = "304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee";

fn eip155_key() -> k256::ecdsa::SigningKey {
	signing_key(&[0x46; 32])
}

fn signature_from_vrs(v: &[u8], r: &[u8], s: &[u8], recovery_id: u8) -> RecoverableSignature {
	assert!(v.len() <= 1);
	RecoverableSignature { r: pad32(r), s: pad32(s), recovery_id }
}

#[test]
fn eip155_example_signing_hash_nine_field_form() {
	let transaction = evm::parse(&hex(EIP155_SIGNING_DATA), 1).unwrap();
	assert_eq!(transaction.transaction_type, evm::EvmTransactionType::Legacy);
	assert_eq!(transaction.nonce, 9);
	assert_eq!(transaction.gas_limit, 21_000);
	assert_eq!(transaction.max_fee_per_gas, 20_000_000_000);
	assert_eq!(transaction.value, 1_000_000_000_000_000_000);
	assert_eq!(transaction.to, Some([0x35; 20]));
	assert_eq!(transaction.signing_payload(), hex(EIP155_SIGNING_DATA));
	assert_eq!(to_hex(&transaction.signing_hash()), EIP155_SIGNING_HASH);

	let summary = transaction.summary().unwrap();
	assert_eq!(summary.value, Some(1_000_000_000_000_000_000));
	assert_eq!(summary.recipient.as_deref(), Some("0x3535353535353535353535353535353535353535"));
	assert_eq!(summary.fee, Some(21_000 * 20_000_000_000));
}

#[test]
fn eip155_example_six_field_form_takes_the_request_chain_id() {
	let nine = hex(EIP155_SIGNING_DATA);
	// Drop `01 80 80` and shrink the list header by 3.
	let mut six = vec![nine[0] - 3];
	six.extend_from_slice(&nine[1..nine.len() - 3]);
	let transaction = evm::parse(&six, 1).unwrap();
	assert_eq!(to_hex(&transaction.signing_hash()), EIP155_SIGNING_HASH);
	// The same six fields for chain 5 sign a different hash.
	assert_ne!(evm::parse(&six, 5).unwrap().signing_hash(), transaction.signing_hash());
}

#[test]
fn eip155_example_rejects_another_chain_id_and_bad_suffix() {
	assert_eq!(evm::parse(&hex(EIP155_SIGNING_DATA), 5).unwrap_err(), Error::ChainIdMismatch);
	assert_eq!(evm::parse(&hex(EIP155_SIGNING_DATA), 0).unwrap_err(), Error::FieldOutOfRange);
	// `chainId, 0, 1` instead of `chainId, 0, 0`.
	let mut bad = hex(EIP155_SIGNING_DATA);
	*bad.last_mut().unwrap() = 0x01;
	assert_eq!(evm::parse(&bad, 1).unwrap_err(), Error::InvalidLegacySigningFields);
	// The signed transaction is not an unsigned one: `v = 37` is not chain id 1.
	assert_eq!(evm::parse(&hex(EIP155_SIGNED), 1).unwrap_err(), Error::ChainIdMismatch);
}

#[test]
fn eip155_example_assembles_the_published_signed_transaction() {
	let key = eip155_key();
	let public = public_key(&key, KeyType::EcdsaSecp256k1);
	assert_eq!(
		evm_checksum_address(&evm_address(&public).unwrap()),
		"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"
	);
	let unsigned = hex(EIP155_SIGNING_DATA);
	let hash: [u8; 32] = hex(EIP155_SIGNING_HASH).try_into().unwrap();

	// From the published r, s, v.
	let (_, v, r, s) = unsign_evm(&hex(EIP155_SIGNED));
	assert_eq!(v, vec![37]);
	let published = signature_from_vrs(&v, &r, &s, 0);
	verify_ecdsa(public.secp256k1().unwrap(), &hash, &published.to_bytes()).unwrap();
	let signed = evm::parse(&unsigned, 1).unwrap().assemble(&published);
	assert_eq!(to_hex(&signed.raw), EIP155_SIGNED);
	assert_eq!(signed.id_text, format!("0x{}", to_hex(&signed.id)));

	// Signing with RFC 6979 reproduces it, through the chain-independent entry point.
	let signature = sign_prehash(&key, &hash);
	let assembled =
		assemble_signed_transaction(&Chain::Evm { chain_id: 1 }, &public, &unsigned, &[signature])
			.unwrap();
	assert_eq!(to_hex(&assembled.raw), EIP155_SIGNED);
}

#[test]
fn eip1559_mainnet_transaction_round_trips() {
	let (unsigned, v, r, s) = unsign_evm(&hex(EIP1559_SIGNED));
	let transaction = evm::parse(&unsigned, 1).unwrap();
	assert_eq!(transaction.transaction_type, evm::EvmTransactionType::Eip1559);
	assert_eq!(transaction.nonce, 0x42);
	assert_eq!(transaction.gas_limit, 44_386);
	assert_eq!(transaction.max_fee_per_gas, 0x4a817c800);
	assert_eq!(transaction.max_priority_fee_per_gas, Some(0x3b9aca00));
	assert_eq!(transaction.value, 0);
	assert_eq!(transaction.data.len(), 68);
	assert_eq!(transaction.signing_payload(), unsigned);
	assert_eq!(
		to_hex(&transaction.signing_hash()),
		"0d5688ac3897124635b6cf1bc0e29d6dfebceebdc10a54d74f2ef8b56535b682"
	);

	let signature = signature_from_vrs(&v, &r, &s, 0);
	let signed = transaction.assemble(&signature);
	assert_eq!(to_hex(&signed.raw), EIP1559_SIGNED);
	assert_eq!(to_hex(&signed.id), EIP1559_HASH);
	assert_eq!(signed.id_text, format!("0x{EIP1559_HASH}"));

	// The signature recovers the published sender.
	let sender = recover_secp256k1(&transaction.signing_hash(), &signature).unwrap();
	let sender = PublicKey::parse(KeyType::EcdsaSecp256k1, &sender).unwrap();
	assert_eq!(
		evm_checksum_address(&evm_address(&sender).unwrap()).to_lowercase(),
		"0xdd6b8b3dc6b7ad97db52f08a275ff4483e024cea"
	);
	let summary = transaction.summary().unwrap();
	// A threshold ECDSA signer gets the unsigned transaction as the payload's preimage.
	assert_eq!(
		summary.preimages,
		vec![Preimage { hash: PreimageHash::Keccak256, bytes: unsigned.clone() }]
	);
	assert_eq!(summary.preimages[0].digest(), transaction.signing_hash());
	assert_eq!(
		summary.recipient.unwrap().to_lowercase(),
		"0x6069a6c32cf691f5982febae4faf8a6f3ab2f0f6"
	);
	assert_eq!(summary.value, Some(0));
	assert_eq!(summary.fee, Some(44_386 * 0x4a817c800));

	// The chain id inside must be the request's.
	assert_eq!(evm::parse(&unsigned, 10).unwrap_err(), Error::ChainIdMismatch);
	// The signed form is not an unsigned transaction.
	assert_eq!(evm::parse(&hex(EIP1559_SIGNED), 1).unwrap_err(), Error::WrongFieldCount);
}

#[test]
fn eip2930_transaction_with_access_list_round_trips() {
	let (unsigned, v, r, s) = unsign_evm(&hex(EIP2930_SIGNED));
	let transaction = evm::parse(&unsigned, 1).unwrap();
	assert_eq!(transaction.transaction_type, evm::EvmTransactionType::Eip2930);
	assert_eq!(to_hex(&transaction.signing_hash()), EIP2930_SIGNING_HASH);
	assert_eq!(v, vec![1]);
	let signature = signature_from_vrs(&v, &r, &s, 1);
	assert_eq!(to_hex(&transaction.assemble(&signature).raw), EIP2930_SIGNED);
	let sender = recover_secp256k1(&transaction.signing_hash(), &signature).unwrap();
	verify_ecdsa(&sender, &transaction.signing_hash(), &signature.to_bytes()).unwrap();
}

#[test]
fn legacy_mainnet_transaction_round_trips() {
	let (unsigned, v, r, s) = unsign_evm(&hex(LEGACY_MAINNET_SIGNED));
	assert_eq!(v, vec![37]);
	let transaction = evm::parse(&unsigned, 1).unwrap();
	assert_eq!(to_hex(&transaction.signing_hash()), LEGACY_MAINNET_SIGNING_HASH);
	let signed = transaction.assemble(&signature_from_vrs(&v, &r, &s, 0));
	assert_eq!(to_hex(&signed.raw), LEGACY_MAINNET_SIGNED);
}

#[test]
fn unsupported_evm_types_are_refused() {
	assert_eq!(evm::parse(&[0x03, 0xc0], 1).unwrap_err(), Error::UnsupportedTransactionType);
	assert_eq!(evm::parse(&[0x04, 0xc0], 1).unwrap_err(), Error::UnsupportedTransactionType);
	assert_eq!(evm::parse(&[0x7f], 1).unwrap_err(), Error::UnsupportedTransactionType);
	assert_eq!(evm::parse(&[], 1).unwrap_err(), Error::UnexpectedEnd);
	assert_eq!(evm::parse(&[0xc0], 1).unwrap_err(), Error::WrongFieldCount);
	// Trailing bytes after the list.
	let mut trailing = hex(EIP155_SIGNING_DATA);
	trailing.push(0);
	assert_eq!(evm::parse(&trailing, 1).unwrap_err(), Error::TrailingBytes);
}

#[test]
fn evm_integers_must_be_canonical() {
	// nonce 9 written as `81 09` (a single byte below 0x80 must be itself).
	let nine = hex(EIP155_SIGNING_DATA);
	let mut bad = vec![nine[0] + 1, 0x81];
	bad.extend_from_slice(&nine[1..]);
	assert_eq!(evm::parse(&bad, 1).unwrap_err(), Error::NonCanonicalEncoding);
	// nonce written as `82 00 09` (leading zero).
	let mut bad = vec![nine[0] + 2, 0x82, 0x00];
	bad.extend_from_slice(&nine[1..]);
	assert_eq!(evm::parse(&bad, 1).unwrap_err(), Error::NonCanonicalEncoding);
}

#[test]
fn bip143_native_p2wpkh_sighash_and_signature() {
	let transaction = decode_transaction(&hex(BIP143_UNSIGNED)).unwrap();
	assert_eq!(transaction.inputs.len(), 2);
	assert_eq!(transaction.lock_time, 17);
	assert_eq!(transaction.encode_without_witness(), hex(BIP143_UNSIGNED));

	let key = PublicKey::parse(KeyType::BitcoinSecp256k1, &hex(BIP143_KEY_1)).unwrap();
	let compressed = key.secp256k1().unwrap();
	let key_hash: [u8; 20] = hex("1d0f172a0ecb48aee1be1f2687d2963ae33f71a1").try_into().unwrap();
	assert_eq!(
		to_hex(&p2wpkh_script_code(&key_hash)),
		"76a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac"
	);
	let sighash =
		transaction.bip143_sighash(1, &p2wpkh_script_code(&key_hash), 600_000_000).unwrap();
	assert_eq!(to_hex(&sighash), BIP143_SIGHASH_1);
	// The published hash preimage (what a threshold ECDSA signer hashes itself).
	let preimage =
		transaction.bip143_preimage(1, &p2wpkh_script_code(&key_hash), 600_000_000).unwrap();
	assert_eq!(to_hex(&preimage), BIP143_PREIMAGE_1);
	let preimage = Preimage { hash: PreimageHash::Sha256d, bytes: preimage };
	assert_eq!(to_hex(&preimage.digest()), BIP143_SIGHASH_1);

	// The published DER signature verifies, and RFC 6979 signing reproduces it.
	let verified = verify_der(compressed, &sighash, &hex(BIP143_DER_1)).unwrap();
	assert_eq!(to_hex(&verified.to_der().unwrap()), BIP143_DER_1);
	let secret = signing_key(&hex(BIP143_SECRET_1));
	let ours = sign_prehash(&secret, &sighash);
	assert_eq!(ours[..64], verified.to_bytes()[..64]);
	// Wrong key, wrong hash.
	let other = public_key(&signing_key(&[7; 32]), KeyType::BitcoinSecp256k1);
	assert_eq!(
		verify_der(other.secp256k1().unwrap(), &sighash, &hex(BIP143_DER_1)).unwrap_err(),
		Error::SignatureMismatch
	);
	assert_eq!(
		verify_der(compressed, &[0; 32], &hex(BIP143_DER_1)).unwrap_err(),
		Error::SignatureMismatch
	);
	assert_eq!(transaction.bip143_sighash(2, &[], 0).unwrap_err(), Error::FieldOutOfRange);
}

#[test]
fn eip55_examples() {
	for address in [
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
		"0x52908400098527886E0F7030069857D2E4169EE7",
		"0x8617E340B3D01FA5F11F306F4090FD50E238070D",
		"0xde709f2102306220921060314715629080e2fb77",
		"0x27b1fdb04752bbc536007a920d24acb045561c26",
	] {
		let parsed = parse_evm_address(address).unwrap();
		assert_eq!(parse_evm_address(&address.to_lowercase()).unwrap(), parsed);
		assert_eq!(parse_evm_address(&address[2..].to_uppercase()).unwrap(), parsed);
		let checksummed = evm_checksum_address(&parsed);
		assert_eq!(checksummed.to_lowercase(), address.to_lowercase());
		let mixed = address.chars().any(|c| c.is_ascii_lowercase())
			&& address[2..].chars().any(|c| c.is_ascii_uppercase());
		if mixed {
			assert_eq!(checksummed, address);
		}
	}
	// One letter's case flipped breaks the checksum.
	assert_eq!(
		parse_evm_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").unwrap_err(),
		Error::InvalidAddressChecksum
	);
	assert_eq!(parse_evm_address("0x5aAeb6").unwrap_err(), Error::InvalidAddress);
	assert_eq!(
		parse_evm_address("0xzzAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").unwrap_err(),
		Error::InvalidAddress
	);
}

#[test]
fn evm_address_of_the_generator() {
	// Private key 1: the public key is the generator G.
	let key = PublicKey::parse(
		KeyType::EcdsaSecp256k1,
		&hex("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"),
	)
	.unwrap();
	assert_eq!(
		derive_address(&key, &AddressFormat::Evm).unwrap(),
		"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"
	);
}

#[test]
fn bip173_p2wpkh_addresses() {
	let key = PublicKey::parse(
		KeyType::BitcoinSecp256k1,
		&hex("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"),
	)
	.unwrap();
	assert_eq!(
		bitcoin_p2wpkh_address(&key, BitcoinNetwork::Mainnet).unwrap(),
		"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
	);
	assert_eq!(
		bitcoin_p2wpkh_address(&key, BitcoinNetwork::Testnet).unwrap(),
		"tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"
	);
	let regtest = bitcoin_p2wpkh_address(&key, BitcoinNetwork::Regtest).unwrap();
	assert!(regtest.starts_with("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7k"));
	let (hrp, version, program) = bech32::segwit::decode(&regtest).unwrap();
	assert_eq!(hrp.as_str(), "bcrt");
	assert_eq!(version, bech32::segwit::VERSION_0);
	assert_eq!(to_hex(&program), "751e76e8199196d454941c45d1b3a323f1433bd6");
}

#[test]
fn cosmos_addresses() {
	let compressed = PublicKey::parse(
		KeyType::EcdsaSecp256k1,
		&hex("02d41a0aa167b21699429eab224bc03f2cd386f0af5d20cefbd0336f1544aea24f"),
	)
	.unwrap();
	assert_eq!(
		cosmos_address(&compressed, "cosmos").unwrap(),
		"cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r"
	);
	// An uncompressed key is normalised to its compressed form first.
	let uncompressed = PublicKey::parse(
		KeyType::EcdsaSecp256k1,
		&hex("044f04181eeba35391b858633a765c4a0c189697b40d216354d50890d350c7029013b587a681e836cc187a8164b98a5848a2b89b3173315fdd0740d5032e259cd5"),
	)
	.unwrap();
	assert_eq!(
		cosmos_address(&uncompressed, "cosmos").unwrap(),
		"cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6"
	);
	assert_eq!(
		derive_address(&compressed, &AddressFormat::Cosmos { prefix: b"cosmos".to_vec() }).unwrap(),
		"cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r"
	);
	let zen = cosmos_address(&compressed, "zen").unwrap();
	assert!(zen.starts_with("zen1"));
	for bad in ["", "Cosmos", "cos mos", "cosmos!", &"a".repeat(84)] {
		assert_eq!(cosmos_address(&compressed, bad).unwrap_err(), Error::InvalidAddressPrefix);
	}
	let ed25519 = PublicKey::parse(KeyType::Ed25519, &hex(ALICE_ED25519)).unwrap();
	assert_eq!(cosmos_address(&ed25519, "cosmos").unwrap_err(), Error::KeyTypeMismatch);
}

const ALICE_ED25519: &str = "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee";

#[test]
fn ss58_addresses() {
	let alice = PublicKey::parse(KeyType::Ed25519, &hex(ALICE_ED25519)).unwrap();
	assert_eq!(
		ss58_address(&alice, 42).unwrap(),
		"5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu"
	);
	assert_eq!(ss58_address(&alice, 16_384).unwrap_err(), Error::InvalidAddressPrefix);

	// Agreement with sp-core for ed25519 and ecdsa keys and one- and two-byte prefixes.
	use sp_core::crypto::{AccountId32, Ss58AddressFormat, Ss58Codec};
	use sp_core::Pair as _;
	for seed in ["//Alice", "//Bob", "//Charlie"] {
		let ed = sp_core::ed25519::Pair::from_string(seed, None).unwrap().public();
		let ecdsa = sp_core::ecdsa::Pair::from_string(seed, None).unwrap().public();
		let ed_key = PublicKey::parse(KeyType::Ed25519, &ed.0).unwrap();
		let ecdsa_key = PublicKey::parse(KeyType::EcdsaSecp256k1, &ecdsa.0).unwrap();
		let ecdsa_account = AccountId32::from(sp_io::hashing::blake2_256(&ecdsa.0));
		for prefix in [0u16, 2, 42, 63, 64, 255, 1284, 2254, 16_383] {
			let format = Ss58AddressFormat::custom(prefix);
			assert_eq!(
				ss58_address(&ed_key, prefix).unwrap(),
				AccountId32::from(ed.0).to_ss58check_with_version(format)
			);
			assert_eq!(
				ss58_address(&ecdsa_key, prefix).unwrap(),
				ecdsa_account.to_ss58check_with_version(format)
			);
		}
	}
	let ecdsa_alice = sp_core::ecdsa::Pair::from_string("//Alice", None).unwrap().public();
	assert_eq!(
		to_hex(&ecdsa_alice.0),
		"020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1"
	);
}

#[test]
fn solana_addresses() {
	for (public, address) in [
		(
			"f98bc0832e705e2ba354fb4df4e521e622480fa08663280d3992e57df21001db",
			"Ho87cuS3aSRgUMCeMrV7uNCCWx6Fj2ytnufYQ1W7KCLr",
		),
		(
			"a9ed356dbef8a0b4375b60269a60c257effd3131f2b96cf389761fce35f79a23",
			"CSKgzVRhq6PKFUtiEFtWdTYhQTd12ohN3fc6yjxYnwHL",
		),
		(
			"310558c12e34393a685337e38bed17240ea106415d2965ae9128ac4854ab160a",
			"4JMhwSEujEZEfMp4X8ZrqYcDNaYy7UFaCXvoSzWQJLQq",
		),
	] {
		let key = PublicKey::parse(KeyType::Ed25519, &hex(public)).unwrap();
		assert_eq!(solana_address(&key).unwrap(), address);
		assert_eq!(derive_address(&key, &AddressFormat::Solana).unwrap(), address);
	}
	let secp = public_key(&signing_key(&[1; 32]), KeyType::EcdsaSecp256k1);
	assert_eq!(solana_address(&secp).unwrap_err(), Error::KeyTypeMismatch);
}

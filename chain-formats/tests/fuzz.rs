//! Property tests: every parser returns (Ok or a typed error) on random and mutated input,
//! never panics. Seeded xorshift PRNG, so a failure reproduces; the failing input is printed.
//! `ZENROCK_FUZZ_ITERATIONS` sets the number of inputs per parser (default 200 000).

mod common;

use codec::Encode;
use common::{hex, public_key, signing_key};
use sp_core::Pair as _;
use std::{
	panic::{catch_unwind, AssertUnwindSafe},
	time::Instant,
};
use zenrock_chain_formats::{
	address::parse_evm_address,
	assemble_signed_transaction,
	bitcoin::{decode_transaction, p2wpkh_script, BitcoinUnsignedTransaction, SpentOutput},
	evm, message, parse_transaction,
	signature::{parse_der, verify_signature},
	solana,
	taproot::p2tr_script,
	token, BitcoinNetwork, Chain, KeyType, PublicKey,
};

struct XorShift(u64);

impl XorShift {
	fn next(&mut self) -> u64 {
		let mut x = self.0;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		self.0 = x;
		x.wrapping_mul(0x2545_f491_4f6c_dd1d)
	}
	fn below(&mut self, bound: usize) -> usize {
		(self.next() % bound.max(1) as u64) as usize
	}
	fn byte(&mut self) -> u8 {
		self.next() as u8
	}
}

const INTERESTING: [u8; 16] = [
	0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xb7, 0xb8, 0xbf, 0xc0, 0xf7, 0xf8, 0xfd, 0xfe, 0xff, 0x20,
];

fn iterations() -> usize {
	std::env::var("ZENROCK_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000)
}

/// A random input: fresh random bytes (1 in 8) or a seed with 1 to 8 mutations.
fn mutate(rng: &mut XorShift, seeds: &[Vec<u8>]) -> Vec<u8> {
	if rng.below(8) == 0 {
		let length = rng.below(300);
		return (0..length).map(|_| rng.byte()).collect();
	}
	let mut data = seeds[rng.below(seeds.len())].clone();
	for _ in 0..1 + rng.below(8) {
		let len = data.len();
		match rng.below(8) {
			0 if len > 0 => {
				let i = rng.below(len);
				data[i] ^= 1 << rng.below(8);
			}
			1 if len > 0 => {
				let i = rng.below(len);
				data[i] = rng.byte();
			}
			2 if len > 0 => {
				let i = rng.below(len);
				data[i] = INTERESTING[rng.below(INTERESTING.len())];
			}
			3 => {
				let i = rng.below(len + 1);
				let count = 1 + rng.below(8);
				for _ in 0..count {
					let byte = rng.byte();
					data.insert(i, byte);
				}
			}
			4 if len > 0 => {
				let start = rng.below(len);
				let end = (start + 1 + rng.below(16)).min(len);
				data.drain(start..end);
			}
			5 => data.truncate(rng.below(len + 1)),
			6 if len > 0 => {
				let start = rng.below(len);
				let end = (start + 1 + rng.below(32)).min(len);
				let chunk = data[start..end].to_vec();
				let at = rng.below(data.len() + 1);
				data.splice(at..at, chunk);
			}
			_ => {
				// Overwrite a 4- or 8-byte window with an extreme value (lengths, amounts).
				if len >= 8 {
					let i = rng.below(len - 7);
					let value = [u64::MAX, 0, 1 << 32, 0xffff_ffff, 21_000_000 * 100_000_000 + 1]
						[rng.below(5)];
					data[i..i + 8].copy_from_slice(&value.to_le_bytes());
				}
			}
		}
	}
	data
}

/// Runs `check` on `iterations()` inputs; reports count, accepted count and time.
fn run(name: &str, seed: u64, seeds: &[Vec<u8>], mut check: impl FnMut(&[u8]) -> bool) {
	let mut rng = XorShift(seed);
	let total = iterations();
	let started = Instant::now();
	let mut accepted = 0usize;
	for _ in 0..total {
		let input = mutate(&mut rng, seeds);
		match catch_unwind(AssertUnwindSafe(|| check(&input))) {
			Ok(true) => accepted += 1,
			Ok(false) => {}
			Err(_) => panic!("{name}: panicked on input {}", common::to_hex(&input)),
		}
	}
	println!(
		"fuzz {name}: {total} inputs, {accepted} accepted, {:.2?}, no panic",
		started.elapsed()
	);
}

fn evm_seeds() -> Vec<Vec<u8>> {
	let eip155 = hex("ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
	let (eip1559, ..) = common::unsign_evm(&hex("02f8b00142843b9aca008504a817c80082ad62946069a6c32cf691f5982febae4faf8a6f3ab2f0f680b844a22cb4650000000000000000000000005eee75727d804a2b13038928d36f8b188945a57a0000000000000000000000000000000000000000000000000000000000000000c080a0840cfc572845f5786e702984c2a582528cad4b49b2a10b9db1be7fca90058565a025e7109ceb98168d95b09b18bbf6b685130e0562f233877d492b94eee0c5b6d1"));
	let (eip2930, ..) = common::unsign_evm(&hex("01f89b01800a8301e974943068947c19dbbc5a170610a69c65e341f0a0b7458080f838f7940000000000000000000000000000000000000000e1a0000000000000000000000000000000000000000000000000000000000000000001a0712d63f4983ce033255f9adfe3b159f465766eac906591091e3ad03ffc06ad16a0078e21a3501b9fc9b9b9e223cc19768be044d5c7c6faf1fbc0f5aa4deb325fe9"));
	let mut six = vec![eip155[0] - 3];
	six.extend_from_slice(&eip155[1..eip155.len() - 3]);
	vec![eip155, six, eip1559, eip2930]
}

#[test]
fn fuzz_evm_parser() {
	let key = signing_key(&[0x46; 32]);
	let public = public_key(&key, KeyType::EcdsaSecp256k1);
	let signature = common::sign_prehash(&key, &[1; 32]);
	let chain = Chain::Evm { chain_id: 1 };
	run("evm::parse", 0x5eed_0001, &evm_seeds(), |input| {
		let Ok(transaction) = evm::parse(input, 1) else { return false };
		let hash = transaction.signing_hash();
		// Calldata that claims to be an ERC-20 call but is not exactly one is refused.
		let Ok(summary) = transaction.summary() else {
			assert!(parse_transaction(&chain, &public, input).is_err());
			return true;
		};
		assert_eq!(summary.payloads_to_sign.len(), 1);
		// A freshly signed hash assembles, and the result parses back as signed bytes.
		let signed = common::sign_prehash(&key, &hash);
		let assembled = assemble_signed_transaction(&chain, &public, input, &[signed]).unwrap();
		assert!(!assembled.raw.is_empty());
		// A signature of another hash is refused, never panics.
		assert!(assemble_signed_transaction(&chain, &public, input, &[signature]).is_err());
		true
	});
}

/// ABI calldata of `transfer`, `transferFrom`, `approve` and `increaseAllowance`.
fn erc20_seeds() -> Vec<Vec<u8>> {
	let word = |byte: u8, leading_zeros: usize| {
		let mut word = vec![0u8; leading_zeros];
		word.resize(32, byte);
		word
	};
	let call = |selector: [u8; 4], words: &[Vec<u8>]| {
		let mut data = selector.to_vec();
		words.iter().for_each(|word| data.extend_from_slice(word));
		data
	};
	vec![
		call(token::ERC20_TRANSFER, &[word(0x11, 12), word(0x05, 28)]),
		call(token::ERC20_TRANSFER_FROM, &[word(0x22, 12), word(0x11, 12), word(0xff, 0)]),
		call(token::ERC20_APPROVE, &[word(0x33, 12), word(0xff, 0)]),
		call(token::ERC20_INCREASE_ALLOWANCE, &[word(0x33, 12), word(0x01, 31)]),
	]
}

/// SPL Token instruction data: Transfer, Approve, TransferChecked, ApproveChecked.
fn spl_seeds() -> Vec<Vec<u8>> {
	let instruction = |tag: u8, decimals: Option<u8>| {
		let mut data = vec![tag];
		data.extend_from_slice(&1_000_000u64.to_le_bytes());
		data.extend(decimals);
		data
	};
	vec![
		instruction(3, None),
		instruction(4, None),
		instruction(12, Some(6)),
		instruction(13, Some(6)),
	]
}

#[test]
fn fuzz_token_decoders() {
	let contract = [0xa0; 20];
	run("token::decode_erc20", 0x5eed_0008, &erc20_seeds(), |input| {
		match token::decode_erc20(&contract, input) {
			Ok(Some(movement)) => {
				assert!(movement.token.is_some() && movement.counterparty.is_some());
				true
			}
			Ok(None) | Err(_) => false,
		}
	});
	let keys = [[1u8; 32], [2; 32], [3; 32], [4; 32]];
	run("token::decode_spl", 0x5eed_0009, &spl_seeds(), |input| {
		let count = input.len() % 5;
		let account = |position: usize| keys.get(position).filter(|_| position < count);
		matches!(token::decode_spl(input, count, account), Ok(Some(_)))
	});
}

/// The JSON of every EIP-712 vector.
fn typed_data_seeds() -> Vec<Vec<u8>> {
	let vectors: serde_json::Value =
		serde_json::from_str(include_str!("data/eip712_vectors.json")).unwrap();
	vectors["eip712"]
		.as_array()
		.unwrap()
		.iter()
		.map(|vector| serde_json::to_vec(&vector["typedData"]).unwrap())
		.collect()
}

#[test]
fn fuzz_typed_data_parser() {
	// JSON is mostly rejected by byte flips; a third of the budget still reaches the EIP-712
	// checks and hashing with valid JSON of odd shapes.
	run("message::parse_message", 0x5eed_000a, &typed_data_seeds(), |input| {
		let parsed = message::parse_message(message::MessageFormat::TypedData, input);
		if let Ok(parsed) = &parsed {
			assert_eq!(parsed.preimage.digest(), parsed.digest);
		}
		let _ = message::parse_message(message::MessageFormat::PersonalSign, input);
		parsed.is_ok()
	});
}

/// A JSON value somewhere inside `value`, chosen by `rng`.
fn some_node<'a>(
	rng: &mut XorShift,
	value: &'a mut serde_json::Value,
) -> &'a mut serde_json::Value {
	let children = match value {
		serde_json::Value::Object(map) => map.len(),
		serde_json::Value::Array(list) => list.len(),
		_ => 0,
	};
	if children == 0 || rng.below(4) == 0 {
		return value;
	}
	let pick = rng.below(children);
	match value {
		serde_json::Value::Object(map) => some_node(rng, map.values_mut().nth(pick).unwrap()),
		serde_json::Value::Array(list) => some_node(rng, &mut list[pick]),
		_ => unreachable!(),
	}
}

#[test]
fn fuzz_typed_data_structure() {
	// Structure-aware: valid JSON whose parts are replaced, removed or duplicated, so that the
	// EIP-712 type resolution, coercion and hashing see odd but well-formed input.
	let seeds: Vec<serde_json::Value> =
		typed_data_seeds().iter().map(|seed| serde_json::from_slice(seed).unwrap()).collect();
	let replacements = [
		serde_json::json!("uint256"),
		serde_json::json!("Person[]"),
		serde_json::json!("bytes32"),
		serde_json::json!("int8"),
		serde_json::json!("0x"),
		serde_json::json!("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
		serde_json::json!(-1),
		serde_json::json!(u64::MAX),
		serde_json::json!(1.5),
		serde_json::json!(null),
		serde_json::json!([]),
		serde_json::json!({}),
		serde_json::json!([{"name": "x", "type": "Mail"}]),
		serde_json::json!({"name": "a", "type": "a"}),
	];
	let mut rng = XorShift(0x5eed_000b);
	let total = iterations() / 10;
	let mut accepted = 0;
	for _ in 0..total {
		let mut value = seeds[rng.below(seeds.len())].clone();
		for _ in 0..1 + rng.below(3) {
			let node = some_node(&mut rng, &mut value);
			*node = match rng.below(3) {
				0 => replacements[rng.below(replacements.len())].clone(),
				1 => serde_json::json!([node.clone(), node.clone()]),
				_ => serde_json::Value::String("Mail".into()),
			};
		}
		let input = serde_json::to_vec(&value).unwrap();
		let outcome = catch_unwind(AssertUnwindSafe(|| {
			message::parse_message(message::MessageFormat::TypedData, &input)
		}));
		match outcome {
			Ok(Ok(_)) => accepted += 1,
			Ok(Err(_)) => {}
			Err(_) => panic!("typed data: panicked on {}", String::from_utf8_lossy(&input)),
		}
	}
	println!("fuzz typed data structure: {total} inputs, {accepted} accepted, no panic");
}

fn bitcoin_seed_request(own: &[u8]) -> BitcoinUnsignedTransaction {
	let own = own.to_vec();
	let mut tx = Vec::new();
	tx.extend_from_slice(&2i32.to_le_bytes());
	tx.push(2);
	for index in 0..2u32 {
		tx.extend_from_slice(&[index as u8 + 1; 32]);
		tx.extend_from_slice(&index.to_le_bytes());
		tx.push(0);
		tx.extend_from_slice(&u32::MAX.to_le_bytes());
	}
	tx.push(3);
	for (amount, script) in [
		(50_000u64, hex("0014751e76e8199196d454941c45d1b3a323f1433bd6")),
		(0, hex("6a0401020304")),
		(20_000, own.clone()),
	] {
		tx.extend_from_slice(&amount.to_le_bytes());
		tx.push(script.len() as u8);
		tx.extend_from_slice(&script);
	}
	tx.extend_from_slice(&0u32.to_le_bytes());
	BitcoinUnsignedTransaction {
		transaction: tx,
		spent_outputs: vec![
			SpentOutput { amount: 40_000, script_pubkey: own.clone() },
			SpentOutput { amount: 40_000, script_pubkey: own },
		],
	}
}

#[test]
fn fuzz_bitcoin_transaction_decoder() {
	let key = signing_key(&[8; 32]);
	let public = public_key(&key, KeyType::BitcoinSecp256k1);
	let request = bitcoin_seed_request(public.secp256k1().unwrap());
	let seeds = vec![
		request.transaction.clone(),
		hex("0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000"),
	];
	run("bitcoin::decode_transaction", 0x5eed_0002, &seeds, |input| {
		let Ok(transaction) = decode_transaction(input) else { return false };
		let _ = transaction.bip143_sighash(0, &[0x76, 0xa9], 1);
		let _ = transaction.txid();
		true
	});
}

#[test]
fn fuzz_bitcoin_request_parser() {
	let key = signing_key(&[8; 32]);
	let public = public_key(&key, KeyType::BitcoinSecp256k1);
	let request = bitcoin_seed_request(&p2wpkh_script(public.secp256k1().unwrap()));
	let sign = |payload: &[u8]| common::sign_prehash(&key, payload.try_into().unwrap()).to_vec();
	fuzz_bitcoin_requests("bitcoin P2WPKH request", 0x5eed_0004, &public, &request, sign);
}

#[test]
fn fuzz_taproot_request_parser() {
	let key = k256::schnorr::SigningKey::from_bytes(&[9; 32]).unwrap();
	let output_key: [u8; 32] = key.verifying_key().to_bytes().into();
	let public = PublicKey::parse(KeyType::BitcoinTaproot, &output_key).unwrap();
	let request = bitcoin_seed_request(&p2tr_script(&output_key));
	let sign = |payload: &[u8]| key.sign_raw(payload, &[0; 32]).unwrap().to_bytes().to_vec();
	fuzz_bitcoin_requests("bitcoin P2TR request", 0x5eed_0014, &public, &request, sign);
}

/// Mutates both the SCALE envelope and the raw transaction inside a well-formed envelope; every
/// request that parses must assemble with the spender's signatures.
fn fuzz_bitcoin_requests(
	name: &str,
	seed: u64,
	public: &PublicKey,
	request: &BitcoinUnsignedTransaction,
	sign: impl Fn(&[u8]) -> Vec<u8>,
) {
	let chain = Chain::Bitcoin { network: BitcoinNetwork::Mainnet };
	let seeds = vec![request.encode(), request.transaction.clone()];
	let spent = request.spent_outputs.clone();
	let mut rng = XorShift(seed ^ 0xff);
	run(name, seed, &seeds, |input| {
		let wrapped;
		let bytes = if rng.below(2) == 0 {
			input
		} else {
			let mut spent = spent.clone();
			spent.truncate(rng.below(3));
			if rng.below(4) == 0 {
				spent.push(SpentOutput { amount: rng.next(), script_pubkey: vec![0; 22] });
			}
			wrapped =
				BitcoinUnsignedTransaction { transaction: input.to_vec(), spent_outputs: spent }
					.encode();
			&wrapped[..]
		};
		let Ok(parsed) = parse_transaction(&chain, public, bytes) else { return false };
		let signatures: Vec<Vec<u8>> =
			parsed.payloads_to_sign.iter().map(|payload| sign(payload.as_bytes())).collect();
		assemble_signed_transaction(&chain, public, bytes, &signatures).unwrap();
		true
	});
}

fn solana_seeds(payer: &[u8; 32]) -> Vec<Vec<u8>> {
	let mut legacy = vec![1, 0, 1, 3];
	legacy.extend_from_slice(payer);
	legacy.extend_from_slice(&[0x77; 32]);
	legacy.extend_from_slice(&[0; 32]);
	legacy.extend_from_slice(&[0xab; 32]);
	legacy.extend_from_slice(&[2, 2, 2, 0, 1, 12]);
	legacy.extend_from_slice(&2u32.to_le_bytes());
	legacy.extend_from_slice(&1_000u64.to_le_bytes());
	// CreateAccount funded by the payer.
	legacy.extend_from_slice(&[2, 2, 0, 1, 52]);
	legacy.extend_from_slice(&0u32.to_le_bytes());
	legacy.extend_from_slice(&7u64.to_le_bytes());
	legacy.extend_from_slice(&0u64.to_le_bytes());
	legacy.extend_from_slice(&[0x11; 32]);
	let mut v0 = vec![0x80];
	v0.extend_from_slice(&legacy);
	v0.extend_from_slice(&[1]);
	v0.extend_from_slice(&[0x99; 32]);
	v0.extend_from_slice(&[1, 0, 1, 1]);
	vec![legacy, v0, spl_transfer_message(payer)]
}

/// A legacy message: Compute Budget limit and price, then an SPL `TransferChecked` signed by
/// `payer` (accounts: payer, source, destination, mint, token program, budget program).
fn spl_transfer_message(payer: &[u8; 32]) -> Vec<u8> {
	let mut message = vec![1, 0, 3, 6];
	message.extend_from_slice(payer);
	message.extend_from_slice(&[0x51; 32]);
	message.extend_from_slice(&[0x52; 32]);
	message.extend_from_slice(&[0x53; 32]);
	message.extend_from_slice(&token::SPL_TOKEN_PROGRAM_ID);
	message.extend_from_slice(&solana::COMPUTE_BUDGET_PROGRAM_ID);
	message.extend_from_slice(&[0xab; 32]);
	message.push(3);
	message.extend_from_slice(&[5, 0, 5, 2]);
	message.extend_from_slice(&200_000u32.to_le_bytes());
	message.extend_from_slice(&[5, 0, 9, 3]);
	message.extend_from_slice(&1_000u64.to_le_bytes());
	message.extend_from_slice(&[4, 4, 1, 3, 2, 0, 10, 12]);
	message.extend_from_slice(&2_500_000u64.to_le_bytes());
	message.push(6);
	message
}

#[test]
fn fuzz_solana_message_parser() {
	let pair = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap();
	let key = PublicKey::parse(KeyType::Ed25519, &pair.public().0).unwrap();
	let seeds = solana_seeds(&pair.public().0);
	run("solana::parse_message", 0x5eed_0005, &seeds, |input| {
		let Ok(message) = solana::parse_message(input) else { return false };
		let _ = message.total_account_count();
		if let Ok(parsed) = parse_transaction(&Chain::Solana, &key, input) {
			assert_eq!(parsed.payloads_to_sign.len(), 1);
			let signature = pair.sign(input);
			let _ = assemble_signed_transaction(&Chain::Solana, &key, input, &[signature.0]);
		}
		true
	});
}

#[test]
fn fuzz_keys_addresses_and_signatures() {
	let key = signing_key(&[2; 32]);
	let secp = public_key(&key, KeyType::BitcoinSecp256k1);
	let compressed = secp.secp256k1().unwrap().to_vec();
	let uncompressed = key.verifying_key().to_encoded_point(false).as_bytes().to_vec();
	let signature = common::sign_prehash(&key, &[3; 32]);
	let der =
		zenrock_chain_formats::signature::parse_recoverable(&signature).unwrap().to_der().unwrap();
	let alice = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap();
	let ed = PublicKey::parse(KeyType::Ed25519, &alice.public().0).unwrap();
	let ed_signature = alice.sign(&[3; 32]).0.to_vec();
	let seeds = vec![
		compressed,
		uncompressed,
		alice.public().0.to_vec(),
		signature.to_vec(),
		der,
		ed_signature,
		b"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".to_vec(),
	];
	run("keys / addresses / signatures", 0x5eed_0006, &seeds, |input| {
		let mut accepted = false;
		for key_type in [KeyType::EcdsaSecp256k1, KeyType::Ed25519, KeyType::BitcoinSecp256k1] {
			if let Ok(key) = PublicKey::parse(key_type, input) {
				accepted = true;
				for address in zenrock_chain_formats::address::default_addresses(&key) {
					assert!(!address.1.is_empty());
				}
			}
		}
		accepted |= parse_der(input).is_ok();
		accepted |= verify_signature(&secp, &[3; 32], input).is_ok();
		accepted |= verify_signature(&ed, &[3; 32], input).is_ok();
		if let Ok(text) = std::str::from_utf8(input) {
			accepted |= parse_evm_address(text).is_ok();
		}
		accepted
	});
}

#[test]
fn fuzz_taproot_sighash_and_bip340() {
	use zenrock_chain_formats::taproot::{verify_bip340, SIGHASH_ALL, SIGHASH_DEFAULT};
	// The BIP-341 wallet vector's unsigned transaction and one P2TR output per input.
	let vector = hex("02000000097de20cbff686da83a54981d2b9bab3586f4ca7e48f57f5b55963115f3b334e9c010000000000000000d7b7cab57b1393ace2d064f4d4a2cb8af6def61273e127517d44759b6dafdd990000000000fffffffff8e1f583384333689228c5d28eac13366be082dc57441760d957275419a418420000000000fffffffff0689180aa63b30cb162a73c6d2a38b7eeda2a83ece74310fda0843ad604853b0100000000feffffffaa5202bdf6d8ccd2ee0f0202afbbb7461d9264a25e5bfd3c5a52ee1239e0ba6c0000000000feffffff956149bdc66faa968eb2be2d2faa29718acbfe3941215893a2a3446d32acd050000000000000000000e664b9773b88c09c32cb70a2a3e4da0ced63b7ba3b22f848531bbb1d5d5f4c94010000000000000000e9aa6b8e6c9de67619e6a3924ae25696bb7b694bb677a632a74ef7eadfd4eabf0000000000ffffffffa778eb6a263dc090464cd125c466b5a99667720b1c110468831d058aa1b82af10100000000ffffffff0200ca9a3b000000001976a91406afd46bcdfd22ef94ac122aa11f241244a37ecc88ac807840cb0000000020ac9a87f5594be208f8532db38cff670c450ed2fea8fcdefcc9a663f78bab962b0065cd1d");
	let key: [u8; 32] =
		hex("53a1f6e454df1aa2776a2814a721372d6258050de330b3c6d10ee8f4e0dda343").try_into().unwrap();
	run("taproot sighash and BIP-340", 0x5eed_0006, &[vector], |input| {
		let Ok(transaction) = decode_transaction(input) else { return false };
		let spent: Vec<SpentOutput> = (0..transaction.inputs.len())
			.map(|i| SpentOutput { amount: i as u64, script_pubkey: vec![0x51, 0x20] })
			.collect();
		for index in 0..transaction.inputs.len().min(3) {
			for hash_type in [SIGHASH_DEFAULT, SIGHASH_ALL] {
				let sighash = transaction
					.taproot_key_spend_sighash(index, &spent, hash_type)
					.expect("a sighash for every input");
				// Random bytes are no signature of it.
				assert!(verify_bip340(&key, &sighash, &input[..input.len().min(64)]).is_err());
			}
		}
		assert!(transaction.taproot_key_spend_sighash(0, &spent[1..], SIGHASH_DEFAULT).is_err());
		true
	});
}

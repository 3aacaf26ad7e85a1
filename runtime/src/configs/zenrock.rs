//! Configuration of the Zenrock pallets: policy, identity, treasury and MPC.

use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
	PalletId,
};

use crate::{
	governance::{parameters, AtLeastOneBlock},
	Balance, Balances, Runtime, RuntimeCall, RuntimeHoldReason, RuntimeOrigin, ZenrockIdentity,
	ZenrockMpc, ZenrockPolicy, ZenrockTreasury, MILLI_UNIT, UNIT,
};

parameter_types! {
	/// Held from a policy's creator for as long as the policy exists (policies are permanent).
	pub const PolicyDeposit: Balance = UNIT;
	/// Held from the requester of an action that waits for approvals, returned when it ends.
	pub const ActionDeposit: Balance = UNIT;
	/// Added to the policy and action deposits per byte stored.
	pub const DepositPerByte: Balance = 10 * MILLI_UNIT;
	/// The heaviest call an action may hold: approvals reserve this much weight and refund the rest.
	pub MaxGatedCallWeight: Weight =
		Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND / 10, 256 * 1024);

	/// Derives the accounts of workspaces and keyrings.
	pub const IdentityPalletId: PalletId = PalletId(*b"zrn/idty");
	/// Held from a workspace's creator while the workspace exists.
	pub const WorkspaceDeposit: Balance = UNIT;
}

impl pallet_zenrock_policy::Config for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PolicyDeposit = PolicyDeposit;
	type ActionDeposit = ActionDeposit;
	type DepositPerByte = DepositPerByte;
	type MaxNameLength = ConstU32<64>;
	// At least identity's `MaxOwners`: a policy may name every owner of a workspace.
	type MaxParticipants = ConstU32<16>;
	type MaxLabelLength = ConstU32<32>;
	type MaxRuleLength = ConstU32<512>;
	type MaxRuleDepth = ConstU32<16>;
	// The largest gated call: a signature request of 16 payloads of up to 1232 bytes each.
	type MaxCallSize = ConstU32<{ 24 * 1024 }>;
	type MaxGatedCallWeight = MaxGatedCallWeight;
	// A governance parameter (a day by default; a policy may set its own expiry), never zero.
	type DefaultActionExpiry = AtLeastOneBlock<parameters::zenrock::DefaultActionExpiry>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	// Address lists of a policy, for allow-lists such as "tx.to in treasury_wallets".
	type MaxAddressLists = ConstU32<4>;
	type MaxListItems = ConstU32<64>;
	// spent(token, seconds) reads the treasury's record of approved transaction requests.
	type Spending = ZenrockTreasury;
	type WeightInfo = pallet_zenrock_policy::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The treasury's escrow account, which keeps request fees until the request is decided, is
	/// derived from this id.
	pub const TreasuryPalletId: PalletId = PalletId(*b"zrn/trsy");
}

impl pallet_zenrock_treasury::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type PalletId = TreasuryPalletId;
	type PolicyGate = ZenrockPolicy;
	type ApprovedOrigin = pallet_zenrock_policy::EnsureApproved<Runtime>;
	type Workspaces = ZenrockIdentity;
	type Keyrings = ZenrockIdentity;
	// Threshold keyrings' requests are answered by ceremonies of the MPC pallet.
	type ThresholdBackend = ZenrockMpc;
	// A governance parameter (about an hour by default), never zero.
	type RequestTimeout = AtLeastOneBlock<parameters::zenrock::RequestTimeout>;
	type MaxPayloadsPerRequest = ConstU32<16>;
	// At least 32 (a prehash); 1232 bytes holds any Solana message.
	type MaxPayloadLength = ConstU32<1232>;
	type MaxUnsignedTransactionLength = ConstU32<4096>;
	// Identity's `MaxKeyringParties`.
	type MaxParties = ConstU32<32>;
	type MaxRejectionReasonLength = ConstU32<128>;
	// A full block holds fewer answers (its weight and length limit a batch too); this only
	// bounds what a call may carry.
	type MaxAnswersPerCall = ConstU32<16_384>;
	// The expiry sweep's budget per block (about 0.1 s of weight at most); more wait a block.
	type MaxExpiriesPerBlock = ConstU32<512>;
	// A governance parameter (a day by default).
	type RequestRetention = parameters::zenrock::RequestRetention;
	type MaxPrunesPerBlock = ConstU32<512>;
	type ExpectedBlockTime = ConstU64<{ crate::MILLI_SECS_PER_BLOCK }>;
	// Spending limits may look back 31 days.
	type MaxSpendingWindow = ConstU32<{ 31 * 86_400 }>;
	type MaxSpendingBuckets = ConstU32<128>;
	// EIP-712 typed data as JSON (a Permit2 permit is about 1 KiB).
	type MaxMessageLength = ConstU32<4096>;
	// A client's correlation id, returned in the request's events.
	type MaxMemoLength = ConstU32<64>;
	type WeightInfo = pallet_zenrock_treasury::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::ZenrockBenchmarkHelper;
}

impl pallet_zenrock_identity::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PolicyGate = ZenrockPolicy;
	type ApprovedOrigin = pallet_zenrock_policy::EnsureApproved<Runtime>;
	// A workspace that holds keys cannot be removed.
	type WorkspaceInUse = pallet_zenrock_treasury::WorkspacesWithKeys<Runtime>;
	type PalletId = IdentityPalletId;
	type WorkspaceDeposit = WorkspaceDeposit;
	// A governance parameter (100 ZEN by default).
	type KeyringDeposit = parameters::zenrock::KeyringDeposit;
	type MaxOwners = ConstU32<16>;
	type MaxChildren = ConstU32<32>;
	type MaxWorkspaceDepth = ConstU32<8>;
	type MaxKeyringAdmins = ConstU32<16>;
	type MaxKeyringParties = ConstU32<32>;
	type MaxKeyringDescriptionLength = ConstU32<256>;
	// The MPC pallet's `MaxParties` (its benchmarks run up to it).
	type MaxThresholdParties = ConstU32<16>;
	type ThresholdKeyrings = ZenrockMpc;
	type WeightInfo = pallet_zenrock_identity::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::ZenrockBenchmarkHelper;
}

impl pallet_zenrock_mpc::Config for Runtime {
	type Balance = Balance;
	type Keyrings = ZenrockIdentity;
	type Results = ZenrockTreasury;
	// Identity's `MaxThresholdParties`.
	type MaxParties = ConstU32<16>;
	// The treasury's `MaxPayloadsPerRequest`.
	type MaxPayloads = ConstU32<16>;
	// Room for two full requests per party: one signing, the next already covered.
	type MaxPooledCommitments = ConstU32<64>;
	// A minute per key-generation round (6-second blocks). A signer's shares are due in the block
	// after the attempt opens; one more block of slack, then another set signs: a signature with
	// one signer down comes 4 blocks after its request.
	type DkgRoundTimeout = ConstU32<10>;
	type ShareTimeout = ConstU32<3>;
	// A party that let a signing attempt time out is passed over for about ten minutes.
	type SuspendBlocks = ConstU32<100>;
	type MaxDeadlinesPerBlock = ConstU32<16>;
	// A threshold ECDSA round: the nodes compute (presigning takes about 0.9 s of a core per
	// signer; auxiliary info about 11 s) and submit in the next block or two.
	type CeremonyRoundTimeout = ConstU32<10>;
	// Two presignatures per key: a signature in one block, and another while the pool refills
	// (about 85 KB of block space each for 2 signers).
	type PresignaturesPerKey = ConstU32<2>;
	// A request that finds no presignature waits for presigning (3 rounds and the outputs).
	type PresignatureWait = ConstU32<30>;
	type WeightInfo = pallet_zenrock_mpc::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::ZenrockBenchmarkHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub(crate) use benchmark_helpers::benchmark_awaiting_broadcast;

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helpers {
	use crate::{
		AccountId, Balance, Balances, Runtime, RuntimeOrigin, ZenrockIdentity, ZenrockPolicy,
		ZenrockTreasury, UNIT,
	};
	use alloc::{format, vec::Vec};
	use frame_support::traits::fungible::Mutate;
	use zenrock_primitives::{
		Approval, KeyId, KeyType, KeyringBackend, KeyringId, PolicyId, RequestId, WorkspaceId,
	};

	/// Builds what the identity and treasury benchmarks need with the real policy and identity
	/// pallets. A failing setup is a bug of the benchmark itself, so it stops the benchmark loudly.
	pub struct ZenrockBenchmarkHelper;

	/// An account with funds for any deposit a benchmark setup takes.
	fn funded(name: &'static str, index: u32) -> AccountId {
		let account: AccountId = frame_benchmarking::account(name, index, 0);
		Balances::set_balance(&account, 1_000_000 * UNIT);
		account
	}

	fn approved_origin(approval: Approval<AccountId>) -> RuntimeOrigin {
		pallet_zenrock_policy::ApprovalOrigin::Approved(approval).into()
	}

	fn policy_with_participants(participants: Vec<AccountId>) -> PolicyId {
		let id = pallet_zenrock_policy::NextPolicyId::<Runtime>::get();
		let labelled = participants
			.into_iter()
			.enumerate()
			.map(|(index, account)| (format!("p{index}").into_bytes(), account))
			.collect();
		ZenrockPolicy::create_policy(
			RuntimeOrigin::signed(funded("policy-creator", 0)),
			b"benchmark".to_vec(),
			labelled,
			Vec::new(),
			b"p0".to_vec(),
			None,
			None,
		)
		.expect("a valid policy is created");
		id
	}

	impl pallet_zenrock_identity::BenchmarkHelper<AccountId, RuntimeOrigin> for ZenrockBenchmarkHelper {
		fn approved_origin(approval: Approval<AccountId>) -> RuntimeOrigin {
			approved_origin(approval)
		}

		fn policy_with_participants(participants: Vec<AccountId>) -> PolicyId {
			policy_with_participants(participants)
		}
	}

	impl pallet_zenrock_treasury::BenchmarkHelper<AccountId, Balance, RuntimeOrigin>
		for ZenrockBenchmarkHelper
	{
		fn approved_origin(approval: Approval<AccountId>) -> RuntimeOrigin {
			approved_origin(approval)
		}

		fn policy_with_participants(participants: Vec<AccountId>) -> PolicyId {
			policy_with_participants(participants)
		}

		fn create_workspace(owners: Vec<AccountId>) -> WorkspaceId {
			let mut owners = owners.into_iter();
			let creator = owners.next().expect("a workspace has a creator");
			Balances::set_balance(&creator, 1_000_000 * UNIT);
			let id = pallet_zenrock_identity::NextWorkspaceId::<Runtime>::get();
			ZenrockIdentity::create_workspace(
				RuntimeOrigin::signed(creator),
				owners.collect::<Vec<_>>(),
				None,
				None,
			)
			.expect("a valid workspace is created");
			id
		}

		fn create_keyring(
			parties: Vec<AccountId>,
			party_threshold: u32,
			key_request_fee: Balance,
			sign_request_fee: Balance,
		) -> KeyringId {
			let id = pallet_zenrock_identity::NextKeyringId::<Runtime>::get();
			ZenrockIdentity::register_keyring(
				RuntimeOrigin::signed(funded("keyring-admin", 0)),
				b"benchmark keyring".to_vec(),
				KeyringBackend::NodeKeystore,
				parties,
				party_threshold,
				key_request_fee,
				sign_request_fee,
			)
			.expect("a valid keyring is registered");
			id
		}
	}

	/// The owner of the workspaces in which the MPC benchmarks request keys.
	fn mpc_requester() -> AccountId {
		funded("mpc-bench-owner", 0)
	}

	impl pallet_zenrock_mpc::BenchmarkHelper<AccountId> for ZenrockBenchmarkHelper {
		fn frost_keyring(parties: Vec<AccountId>, threshold: u32) -> KeyringId {
			let id = pallet_zenrock_identity::NextKeyringId::<Runtime>::get();
			ZenrockIdentity::register_keyring(
				RuntimeOrigin::signed(funded("keyring-admin", 0)),
				b"benchmark threshold keyring".to_vec(),
				KeyringBackend::Frost,
				parties,
				threshold,
				0,
				0,
			)
			.expect("a valid threshold keyring is registered");
			id
		}

		fn request_key(keyring: KeyringId, key_type: KeyType) -> RequestId {
			use pallet_zenrock_treasury::BenchmarkHelper;
			let owner = mpc_requester();
			let workspace = ZenrockBenchmarkHelper::create_workspace(alloc::vec![owner.clone()]);
			let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
			ZenrockTreasury::request_key(
				RuntimeOrigin::signed(owner),
				workspace,
				keyring,
				key_type,
				None,
				Balance::MAX,
				None,
			)
			.expect("the key request is accepted");
			request
		}

		fn request_signature(key: KeyId, payloads: Vec<Vec<u8>>) -> RequestId {
			let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
			ZenrockTreasury::request_signature(
				RuntimeOrigin::signed(mpc_requester()),
				key,
				payloads,
				Balance::MAX,
				None,
			)
			.expect("the signature request is accepted");
			request
		}

		fn ecdsa_keyring(parties: Vec<AccountId>, threshold: u32) -> KeyringId {
			let id = pallet_zenrock_identity::NextKeyringId::<Runtime>::get();
			ZenrockIdentity::register_keyring(
				RuntimeOrigin::signed(funded("keyring-admin", 0)),
				b"benchmark threshold ECDSA keyring".to_vec(),
				KeyringBackend::ThresholdEcdsa,
				parties,
				threshold,
				0,
				0,
			)
			.expect("a valid threshold ECDSA keyring is registered");
			id
		}

		fn request_evm_transaction_signature(key: KeyId, unsigned: Vec<u8>) -> RequestId {
			let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
			ZenrockTreasury::request_transaction_signature(
				RuntimeOrigin::signed(mpc_requester()),
				key,
				zenrock_chain_formats::Chain::Evm { chain_id: 1 },
				unsigned,
				false,
				Balance::MAX,
				None,
			)
			.expect("the transaction signature request is accepted");
			request
		}
	}

	/// A fulfilled EIP-1559 transaction-signature request (the longest unsigned transaction the
	/// treasury accepts) that waits for broadcast, signed with a keystore key like a keyring would.
	pub fn benchmark_awaiting_broadcast() -> zenrock_primitives::RequestId {
		use pallet_zenrock_treasury::BenchmarkHelper;
		use zenrock_chain_formats::{parse_transaction, Chain, KeyType, PublicKey};

		const KEY_TYPE: sp_runtime::KeyTypeId = zenrock_primitives::KEY_MATERIAL_TYPE;
		let owner = funded("relayer-bench-owner", 0);
		let party = funded("relayer-bench-party", 0);
		let workspace = ZenrockBenchmarkHelper::create_workspace(alloc::vec![owner.clone()]);
		let keyring = ZenrockBenchmarkHelper::create_keyring(alloc::vec![party.clone()], 1, 0, 0);

		let key = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
		ZenrockTreasury::request_key(
			RuntimeOrigin::signed(owner.clone()),
			workspace,
			keyring,
			KeyType::EcdsaSecp256k1,
			None,
			Balance::MAX,
			None,
		)
		.expect("the key request is accepted");
		let public = sp_io::crypto::ecdsa_generate(KEY_TYPE, Some(b"//relayer-bench".to_vec()));
		ZenrockTreasury::fulfil_key_request(
			RuntimeOrigin::signed(party.clone()),
			key,
			public.0.to_vec(),
		)
		.expect("the key is fulfilled");

		let chain = Chain::Evm { chain_id: 1 };
		let unsigned =
			pallet_zenrock_treasury::test_transactions::eip1559_transaction_of_length(4096);
		let parsed = PublicKey::parse(KeyType::EcdsaSecp256k1, &public.0)
			.and_then(|key| parse_transaction(&chain, &key, &unsigned))
			.expect("the benchmark transaction parses");
		let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
		ZenrockTreasury::request_transaction_signature(
			RuntimeOrigin::signed(owner),
			key,
			chain,
			unsigned,
			true,
			Balance::MAX,
			None,
		)
		.expect("the transaction signature request is accepted");
		let signatures = parsed
			.payloads_to_sign
			.iter()
			.map(|payload| {
				let prehash: [u8; 32] =
					payload.as_bytes().try_into().expect("EVM payloads are 32-byte prehashes");
				let signature = sp_io::crypto::ecdsa_sign_prehashed(KEY_TYPE, &public, &prehash)
					.expect("the keystore signs");
				signature.0.to_vec()
			})
			.collect::<Vec<_>>();
		ZenrockTreasury::fulfil_signature_request(
			RuntimeOrigin::signed(party),
			request,
			signatures,
		)
		.expect("the signatures are accepted");
		request
	}
}

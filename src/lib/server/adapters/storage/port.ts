/**
 * The storage port: recordings, MMS media and exports as objects under slash-separated keys
 * (`recordings/2025/01/RE123.wav`). S3 (or an S3-compatible store) in production; files under
 * the data folder locally. Browsers never get the bucket: they get short-lived signed URLs.
 */

export interface StoredObjectInfo {
	key: string;
	/** Bytes. */
	size: number;
	contentType: string;
	lastModified: Date;
}

export interface StoredObject extends StoredObjectInfo {
	body: Uint8Array;
}

export interface SignedUrlOptions {
	/** How long the URL works, 1 to 604800 seconds (S3's limit); keep it short. */
	expiresInSeconds: number;
	/** When set, the browser downloads the object under this file name instead of showing it. */
	downloadName?: string;
}

export interface StoragePort {
	/** Which adapter this is, for logs and diagnostics. */
	readonly kind: 's3' | 'local';

	/**
	 * Store bytes under `key`, replacing any object already there. Keys are relative,
	 * slash-separated, without `.`/`..` segments, empty segments or backslashes; a bad key
	 * fails with AppError INVALID_STORAGE_KEY.
	 */
	put(key: string, body: Uint8Array, contentType: string): Promise<StoredObjectInfo>;

	/** The object's bytes and metadata, or null when nothing is stored under `key`. */
	get(key: string): Promise<StoredObject | null>;

	/** The object's metadata without its bytes, or null when nothing is stored under `key`. */
	head(key: string): Promise<StoredObjectInfo | null>;

	/** Whether an object is stored under `key`. */
	exists(key: string): Promise<boolean>;

	/** Remove the object; removing a key that holds nothing is not an error. */
	delete(key: string): Promise<void>;

	/**
	 * An absolute URL anyone holding it can GET the object from until it expires, with no
	 * other credentials (S3 presigned GET; locally `/files/<key>?exp=..&sig=..`). Does not
	 * check that the object exists.
	 */
	signedUrl(key: string, options: SignedUrlOptions): Promise<string>;
}

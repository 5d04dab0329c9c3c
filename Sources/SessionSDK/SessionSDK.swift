/// The session platform SDK core.
public enum SessionSDK {}

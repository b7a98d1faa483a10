namespace Personium.Core.Errors;

/// <summary>Named factories for the catalogue entries the library raises, so call sites read as the spec.</summary>
public static class PersoniumErrors
{
    /// <summary>PR400-OD-0001: the request body is not valid JSON (or not the JSON object the resource expects).</summary>
    public static PersoniumError JsonParse() => PersoniumError.Of("PR400-OD-0001");
    /// <summary>PR400-OD-0002: the OData query string cannot be parsed.</summary>
    public static PersoniumError QueryParse() => PersoniumError.Of("PR400-OD-0002");
    /// <summary>PR400-OD-0003: <c>$filter</c> cannot be parsed (bad syntax, or an operand the reference server rejects as a parse
    /// error).</summary>
    public static PersoniumError FilterParse() => PersoniumError.Of("PR400-OD-0003");
    /// <summary>PR400-OD-0004: the key predicate in the URL (<c>('name')</c>, <c>(Name='x',_Box.Name='y')</c>) cannot be parsed
    /// or does not match the entity type's key.</summary>
    public static PersoniumError EntityKeyParse() => PersoniumError.Of("PR400-OD-0004");
    /// <summary>PR400-OD-0005: <c>$format</c> is neither <c>json</c> nor <c>atom</c>; <paramref name="value"/> is the value
    /// sent.</summary>
    public static PersoniumError FormatInvalid(string value) => PersoniumError.Of("PR400-OD-0005", value);
    /// <summary>PR400-OD-0006: the body's value for <paramref name="field"/> has the wrong type or breaks the field's format rule
    /// (length, pattern, range).</summary>
    public static PersoniumError FieldFormat(string field) => PersoniumError.Of("PR400-OD-0006", field);
    /// <summary>PR400-OD-0007: the body is unacceptable for the reason in <paramref name="detail"/> (an unknown property, a
    /// reserved <c>__</c> name, …); the message is the detail itself.</summary>
    public static PersoniumError FieldInvalid(string detail) => PersoniumError.Of("PR400-OD-0007", detail);
    /// <summary>PR400-OD-0009: the body lacks the mandatory property <paramref name="field"/>.</summary>
    public static PersoniumError RequiredField(string field) => PersoniumError.Of("PR400-OD-0009", field);
    /// <summary>PR400-OD-0013: <c>$inlinecount</c> is neither <c>allpages</c> nor <c>none</c>; <paramref name="value"/> is the
    /// value sent.</summary>
    public static PersoniumError InlineCountInvalid(string value) => PersoniumError.Of("PR400-OD-0013", value);
    /// <summary>PR400-OD-0015: <c>$orderby</c> cannot be parsed or names something that cannot be sorted on.</summary>
    public static PersoniumError OrderByParse() => PersoniumError.Of("PR400-OD-0015");
    /// <summary>PR400-OD-0016: the body sets the single key property of the entity type to null.</summary>
    public static PersoniumError NullSingleKey() => PersoniumError.Of("PR400-OD-0016");
    /// <summary>PR400-OD-0017: <c>$select</c> cannot be parsed or names an unknown property.</summary>
    public static PersoniumError SelectParse() => PersoniumError.Of("PR400-OD-0017");
    /// <summary>PR400-OD-0026: <c>$expand</c> cannot be parsed.</summary>
    public static PersoniumError ExpandParse() => PersoniumError.Of("PR400-OD-0026");
    /// <summary>PR400-OD-0029: query option <paramref name="option"/> has the unacceptable value <paramref name="value"/> (e.g. a
    /// negative <c>$top</c>, a <c>$skip</c> over the limit).</summary>
    public static PersoniumError QueryValueInvalid(string option, string value) => PersoniumError.Of("PR400-OD-0029", option, value);
    /// <summary>PR400-OD-0036: query option <paramref name="option"/> cannot be parsed (e.g. <c>$top</c> that is not a
    /// number).</summary>
    public static PersoniumError QueryParseWithParam(string option) => PersoniumError.Of("PR400-OD-0036", option);
    /// <summary>PR400-OD-0043: <c>$filter</c> uses an operator Personium does not support (arithmetic, <c>not</c>, <c>has</c>,
    /// …).</summary>
    public static PersoniumError UnsupportedOperator() => PersoniumError.Of("PR400-OD-0043");
    /// <summary>PR400-OD-0044: <c>$filter</c> calls a function Personium does not support (only <c>startswith</c> and
    /// <c>substringof</c> are).</summary>
    public static PersoniumError UnsupportedFunction() => PersoniumError.Of("PR400-OD-0044");
    /// <summary>PR400-OD-0045: <c>$filter</c> or <c>$orderby</c> names <paramref name="name"/>, which the entity type does not
    /// have.</summary>
    public static PersoniumError UnknownProperty(string name) => PersoniumError.Of("PR400-OD-0045", name);
    /// <summary>PR400-OD-0046: the operand compared with property <paramref name="name"/> is of a type that does not match
    /// it.</summary>
    public static PersoniumError OperandMismatch(string name) => PersoniumError.Of("PR400-OD-0046", name);
    /// <summary>PR400-OD-0047: the operand compared with property <paramref name="name"/> has the right type but an invalid
    /// format or range.</summary>
    public static PersoniumError OperandFormat(string name) => PersoniumError.Of("PR400-OD-0047", name);
    /// <summary>PR400-OD-0048: the literal <paramref name="value"/> in <c>$filter</c> cannot be parsed as any operand.</summary>
    public static PersoniumError OperandUnparsable(string value) => PersoniumError.Of("PR400-OD-0048", value);
    /// <summary>PR404-OD-0001: the URL names an entity set (or navigation property) the service does not have.</summary>
    public static PersoniumError NoSuchEntitySet() => PersoniumError.Of("PR404-OD-0001");
    /// <summary>PR404-OD-0002: the entity addressed by key does not exist (or a <c>$links</c> target is missing).</summary>
    public static PersoniumError NoSuchEntity() => PersoniumError.Of("PR404-OD-0002");
    /// <summary>PR406-OD-0001: the <c>Accept</c> header <paramref name="value"/> allows no format the resource can answer
    /// in.</summary>
    public static PersoniumError NotAcceptable(string value) => PersoniumError.Of("PR406-OD-0001", value);
    /// <summary>PR409-OD-0001: the entity cannot be deleted while other data refers to it (links, child entities, box
    /// contents).</summary>
    public static PersoniumError HasRelatedData() => PersoniumError.Of("PR409-OD-0001");
    /// <summary>PR409-OD-0003: an entity with the same key (or unique property) already exists.</summary>
    public static PersoniumError EntityAlreadyExists() => PersoniumError.Of("PR409-OD-0003");
    /// <summary>PR412-OD-0002: <c>If-Match</c> does not match the entity's current ETag; nothing was changed.</summary>
    public static PersoniumError EtagMismatch() => PersoniumError.Of("PR412-OD-0002");
    /// <summary>PR415-OD-0001: the request's <c>Content-Type</c> <paramref name="value"/> is not one the resource
    /// accepts.</summary>
    public static PersoniumError UnsupportedMediaType(string value) => PersoniumError.Of("PR415-OD-0001", value);

    /// <summary>PR404-DV-0003: the cell named in the URL does not exist.</summary>
    public static PersoniumError CellNotFound() => PersoniumError.Of("PR404-DV-0003");

    /// <summary>PR401-AU-0001: the resource needs credentials and the request carried none.</summary>
    public static PersoniumError AuthorizationRequired() => PersoniumError.Of("PR401-AU-0001");
    /// <summary>PR401-AU-0003: the <c>Authorization</c> header uses a scheme other than <c>Bearer</c> or <c>Basic</c>.</summary>
    public static PersoniumError InvalidAuthnScheme() => PersoniumError.Of("PR401-AU-0003");
    /// <summary>PR401-AU-0006: the bearer token cannot be read: unknown format, not issued by or for this cell, or tampered
    /// with.</summary>
    public static PersoniumError TokenParse() => PersoniumError.Of("PR401-AU-0006");
    /// <summary>PR403-AU-0001: the operation is unit-level and the caller is not the unit master, a unit admin or a unit
    /// user.</summary>
    public static PersoniumError UnitUserAccessRequired() => PersoniumError.Of("PR403-AU-0001");
    /// <summary>PR403-AU-0002: the caller is authenticated but lacks the privilege (or token scope) the operation
    /// needs.</summary>
    public static PersoniumError PrivilegeLacking() => PersoniumError.Of("PR403-AU-0002");
    /// <summary>PR403-AU-0003: a unit user addressed a cell it does not own.</summary>
    public static PersoniumError NotYours() => PersoniumError.Of("PR403-AU-0003");

    /// <summary>PR400-EV-0002: <c>X-Personium-RequestKey</c> is longer than 128 characters or has characters outside
    /// <c>[A-Za-z0-9_-]</c>.</summary>
    public static PersoniumError RequestKeyInvalid() => PersoniumError.Of("PR400-EV-0002");

    /// <summary>PR404-MC-0001: the URL matches no resource of the unit.</summary>
    public static PersoniumError UriNotRecognized() => PersoniumError.Of("PR404-MC-0001");
    /// <summary>PR405-MC-0001: the resource exists but does not support the request's method.</summary>
    public static PersoniumError MethodNotAllowed() => PersoniumError.Of("PR405-MC-0001");
    /// <summary>PR412-MC-0001: the precondition header <paramref name="header"/> is missing or not satisfied (e.g. deleting a
    /// non-empty box or cell without <c>X-Personium-Recursive: true</c>); nothing was changed.</summary>
    public static PersoniumError PreconditionFailed(string header) => PersoniumError.Of("PR412-MC-0001", header);
    /// <summary>PR400-MC-0002: the unit serves cells on their own host names, so a path-based cell URL is refused.</summary>
    public static PersoniumError PathBasedAccessNotAllowed() => PersoniumError.Of("PR400-MC-0002");
    /// <summary>PR400-CM-0005: the request's host <paramref name="actual"/> is not the unit's configured authority <paramref
    /// name="expected"/>.</summary>
    public static PersoniumError InvalidUrlAuthority(string actual, string expected) => PersoniumError.Of("PR400-CM-0005", actual, expected);
    /// <summary>PR400-OD-0041: request header <paramref name="header"/> has the unacceptable value <paramref
    /// name="value"/>.</summary>
    public static PersoniumError RequestHeaderInvalid(string header, string value) => PersoniumError.Of("PR400-OD-0041", header, value);

    /// <summary>PR500-SV-9999: an unexpected failure; <paramref name="id"/> is the id that the log entry with the exception also
    /// carries.</summary>
    public static PersoniumError Unknown(string id) => PersoniumError.Of("PR500-SV-9999", id);
    /// <summary>PR500-SV-0002: the entity store failed in a way it did not classify.</summary>
    public static PersoniumError DataStoreUnknown() => PersoniumError.Of("PR500-SV-0002");
    /// <summary>PR503-SV-0005: a write was refused because the store's disk is (almost) full; nothing was kept and reads still
    /// work.</summary>
    public static PersoniumError DiskFull() => PersoniumError.Of("PR503-SV-0005");
    /// <summary>PR500-DV-0001: a file's blob is missing or shorter than its metadata says; answered before any byte of the body
    /// goes out.</summary>
    public static PersoniumError FileSystemInconsistency() => PersoniumError.Of("PR500-DV-0001");

    /// <summary>PR400-OD-0025: <c>$expand</c> names <paramref name="name"/>, which is not a navigation property of the entity
    /// type.</summary>
    public static PersoniumError UnknownNavigationProperty(string name) => PersoniumError.Of("PR400-OD-0025", name);
    /// <summary>PR400-OD-0039: <c>$expand</c> names more navigation properties than the limit (2 on a list, 10 on a single entity
    /// by default).</summary>
    public static PersoniumError ExpandCountExceeded() => PersoniumError.Of("PR400-OD-0039");
    /// <summary>PR400-OD-0040: <c>$orderby</c> names a property of list type, which cannot be sorted on.</summary>
    public static PersoniumError OrderByListProperty() => PersoniumError.Of("PR400-OD-0040");

    // OData: links, navigation properties and the cell-control URL formats
    /// <summary>PR400-OD-0008: No such association (the navigation property cannot be linked through $links).</summary>
    public static PersoniumError NoSuchAssociation() => PersoniumError.Of("PR400-OD-0008");
    /// <summary>PR400-OD-0010: A navigation-property key was given where $links takes none.</summary>
    public static PersoniumError NavigationKeyNotAllowed() => PersoniumError.Of("PR400-OD-0010");
    /// <summary>PR400-OD-0011: A navigation-property key is required in $links.</summary>
    public static PersoniumError NavigationKeyRequired() => PersoniumError.Of("PR400-OD-0011");
    /// <summary>PR400-OD-0024: The entity a key property of the body refers to does not exist.</summary>
    public static PersoniumError ReferencedEntityMissing(string property) => PersoniumError.Of("PR400-OD-0024", property);
    /// <summary>PR400-OD-0049: The field is not a normalised http(s) cell URL with a trailing slash.</summary>
    public static PersoniumError CellUrlFormat(string field) => PersoniumError.Of("PR400-OD-0049", field);
    /// <summary>PR400-OD-0050: The field is neither a normalised http(s) URL with a trailing slash nor a URN.</summary>
    public static PersoniumError SchemaUriFormat(string field) => PersoniumError.Of("PR400-OD-0050", field);
    /// <summary>PR404-OD-0000: The link, or the entity at its other end, is not found.</summary>
    public static PersoniumError LinkNotFound() => PersoniumError.Of("PR404-OD-0000");
    /// <summary>PR404-OD-0003: No such navigation property.</summary>
    public static PersoniumError NoSuchNavigationProperty() => PersoniumError.Of("PR404-OD-0003");
    /// <summary>PR409-OD-0002: The link exists already.</summary>
    public static PersoniumError LinkAlreadyExists() => PersoniumError.Of("PR409-OD-0002");
    /// <summary>PR409-OD-0004: Unlinking would give the entity a key another entity already has.</summary>
    public static PersoniumError UnlinkedEntityConflicts(string key) => PersoniumError.Of("PR409-OD-0004", key);
    /// <summary>PR409-OD-0005: Linking would give the entity a key another entity already has.</summary>
    public static PersoniumError LinkedEntityConflicts(string key) => PersoniumError.Of("PR409-OD-0005", key);

    // WebDAV: request bodies and headers, resources, collections and MOVE
    /// <summary>PR400-DV-0001: The XML body does not parse.</summary>
    public static PersoniumError XmlParse() => PersoniumError.Of("PR400-DV-0001");
    /// <summary>PR400-DV-0002: The XML body is missing or has the wrong content.</summary>
    public static PersoniumError XmlContent() => PersoniumError.Of("PR400-DV-0002");
    /// <summary>PR400-DV-0003: The Depth header value is invalid.</summary>
    public static PersoniumError DepthInvalid(string value) => PersoniumError.Of("PR400-DV-0003", value);
    /// <summary>PR400-DV-0004: The role named in the body is not found.</summary>
    public static PersoniumError RoleNotFound() => PersoniumError.Of("PR400-DV-0004");
    /// <summary>PR400-DV-0005: The box a role URL names is not found.</summary>
    public static PersoniumError BoxOfRoleNotFound(string url) => PersoniumError.Of("PR400-DV-0005", url);
    /// <summary>PR400-DV-0006: The XML body fails validation for the given cause.</summary>
    public static PersoniumError XmlInvalid(string cause) => PersoniumError.Of("PR400-DV-0006", cause);
    /// <summary>PR400-DV-0007: The collection cannot hold any more child resources.</summary>
    public static PersoniumError TooManyChildren() => PersoniumError.Of("PR400-DV-0007");
    /// <summary>PR400-DV-0008: The collection hierarchy would be too deep.</summary>
    public static PersoniumError CollectionTooDeep() => PersoniumError.Of("PR400-DV-0008");
    /// <summary>PR400-DV-0009: A WebDAV request header has an invalid value.</summary>
    public static PersoniumError DavHeaderInvalid(string header, string value) => PersoniumError.Of("PR400-DV-0009", header, value);
    /// <summary>PR400-DV-0010: A required request header is missing.</summary>
    public static PersoniumError HeaderRequired(string header) => PersoniumError.Of("PR400-DV-0010", header);
    /// <summary>PR400-DV-0011: A service source collection cannot be moved.</summary>
    public static PersoniumError MoveServiceSourceProhibited() => PersoniumError.Of("PR400-DV-0011");
    /// <summary>PR400-DV-0012: MOVE cannot overwrite a collection.</summary>
    public static PersoniumError OverwriteCollectionProhibited() => PersoniumError.Of("PR400-DV-0012");
    /// <summary>PR400-DV-0013: A resource cannot be moved into an OData collection.</summary>
    public static PersoniumError MoveIntoODataCollectionProhibited() => PersoniumError.Of("PR400-DV-0013");
    /// <summary>PR400-DV-0014: A resource cannot be moved under a file.</summary>
    public static PersoniumError MoveIntoFileProhibited() => PersoniumError.Of("PR400-DV-0014");
    /// <summary>PR400-DV-0015: A box cannot be moved.</summary>
    public static PersoniumError MoveBoxProhibited() => PersoniumError.Of("PR400-DV-0015");
    /// <summary>PR400-DV-0016: A resource cannot be moved into a service collection.</summary>
    public static PersoniumError MoveIntoServiceCollectionProhibited() => PersoniumError.Of("PR400-DV-0016");
    /// <summary>PR400-DV-0018: A collection cannot be created under a service source collection.</summary>
    public static PersoniumError CollectionUnderServiceSourceProhibited() => PersoniumError.Of("PR400-DV-0018");
    /// <summary>PR403-DV-0001: PROPFIND with Depth: infinity is not supported.</summary>
    public static PersoniumError InfiniteDepthUnsupported() => PersoniumError.Of("PR403-DV-0001");
    /// <summary>PR403-DV-0003: A collection with child resources cannot be deleted.</summary>
    public static PersoniumError CollectionHasChildren() => PersoniumError.Of("PR403-DV-0003");
    /// <summary>PR403-DV-0004: The resource name is invalid.</summary>
    public static PersoniumError ResourceNameInvalid(string name) => PersoniumError.Of("PR403-DV-0004", name);
    /// <summary>PR403-DV-0005: The Destination header equals the request URL.</summary>
    public static PersoniumError DestinationEqualsSource(string url) => PersoniumError.Of("PR403-DV-0005", url);
    /// <summary>PR404-DV-0001: The WebDAV resource is not found.</summary>
    public static PersoniumError ResourceNotFound(string url) => PersoniumError.Of("PR404-DV-0001", url);
    /// <summary>PR404-DV-0002: No box at the URL.</summary>
    public static PersoniumError BoxNotFound(string url) => PersoniumError.Of("PR404-DV-0002", url);
    /// <summary>PR405-DV-0001: MKCOL on a resource that exists.</summary>
    public static PersoniumError MkcolOnExistingResource() => PersoniumError.Of("PR405-DV-0001");
    /// <summary>PR409-DV-0001: The intermediate collection must be created first.</summary>
    public static PersoniumError ParentCollectionMissing(string parentUrl) => PersoniumError.Of("PR409-DV-0001", parentUrl);
    /// <summary>PR412-DV-0001: The If-Match ETag does not match the resource.</summary>
    public static PersoniumError DavEtagMismatch() => PersoniumError.Of("PR412-DV-0001");
    /// <summary>PR412-DV-0002: Overwrite is F and the destination is already mapped to a resource.</summary>
    public static PersoniumError DestinationExists() => PersoniumError.Of("PR412-DV-0002");
    /// <summary>PR413-DV-0001: The request body is larger than the limit in bytes.</summary>
    public static PersoniumError RequestBodyTooLarge(long limit) => PersoniumError.Of("PR413-DV-0001", limit);
    /// <summary>PR416-DV-0001: The requested range is not satisfiable.</summary>
    public static PersoniumError RangeNotSatisfiable() => PersoniumError.Of("PR416-DV-0001");
    /// <summary>PR500-DV-0002: The stored WebDAV tree is inconsistent.</summary>
    public static PersoniumError DavInconsistency() => PersoniumError.Of("PR500-DV-0002");
    /// <summary>PR503-DV-0001: A concurrent update or delete of the resource got in the way.</summary>
    public static PersoniumError ConcurrentDavUpdate() => PersoniumError.Of("PR503-DV-0001");

    // Authentication at the token endpoint (AN)
    /// <summary>PR400-AN-0001: The grant type is not supported.</summary>
    public static PersoniumError UnsupportedGrantType(string grantType) => PersoniumError.Of("PR400-AN-0001", grantType);
    /// <summary>PR400-AN-0002: p_target is invalid.</summary>
    public static PersoniumError InvalidTarget() => PersoniumError.Of("PR400-AN-0002");
    /// <summary>PR400-AN-0003: The client assertion (client_secret) does not parse.</summary>
    public static PersoniumError ClientAssertionParse() => PersoniumError.Of("PR400-AN-0003");
    /// <summary>PR400-AN-0004: The client secret has expired (the catalogue's message says "Unsupported hash algorithm.").</summary>
    public static PersoniumError ClientSecretExpired() => PersoniumError.Of("PR400-AN-0004");
    /// <summary>PR400-AN-0005: The client secret's signature is invalid.</summary>
    public static PersoniumError ClientSecretSignatureInvalid() => PersoniumError.Of("PR400-AN-0005");
    /// <summary>PR400-AN-0006: The client secret's issuer is not the client_id.</summary>
    public static PersoniumError ClientSecretIssuerMismatch() => PersoniumError.Of("PR400-AN-0006");
    /// <summary>PR400-AN-0007: The client secret is not addressed to this cell.</summary>
    public static PersoniumError ClientSecretTargetWrong() => PersoniumError.Of("PR400-AN-0007");
    /// <summary>PR400-AN-0008: A trans-cell grant cannot ask to represent the owner.</summary>
    public static PersoniumError TransCellCannotRepresentOwner() => PersoniumError.Of("PR400-AN-0008");
    /// <summary>PR400-AN-0009: The token presented as a grant does not parse.</summary>
    public static PersoniumError GrantTokenParse() => PersoniumError.Of("PR400-AN-0009");
    /// <summary>PR400-AN-0010: The token or code presented as a grant has expired.</summary>
    public static PersoniumError GrantTokenExpired() => PersoniumError.Of("PR400-AN-0010");
    /// <summary>PR400-AN-0011: The token presented as a grant has an invalid signature.</summary>
    public static PersoniumError GrantTokenSignatureInvalid() => PersoniumError.Of("PR400-AN-0011");
    /// <summary>PR400-AN-0012: The token presented as a grant is addressed to another cell.</summary>
    public static PersoniumError GrantTokenTargetWrong(string target) => PersoniumError.Of("PR400-AN-0012", target);
    /// <summary>PR400-AN-0013: The refresh_token is not a refresh token.</summary>
    public static PersoniumError NotRefreshToken() => PersoniumError.Of("PR400-AN-0013");
    /// <summary>PR400-AN-0014: The account may not represent the cell owner.</summary>
    public static PersoniumError NotAllowedToRepresentOwner() => PersoniumError.Of("PR400-AN-0014");
    /// <summary>PR400-AN-0015: The cell has no owner to represent.</summary>
    public static PersoniumError NoCellOwner() => PersoniumError.Of("PR400-AN-0015");
    /// <summary>PR400-AN-0016: A required request parameter is missing.</summary>
    public static PersoniumError RequiredParameterMissing(string parameter) => PersoniumError.Of("PR400-AN-0016", parameter);
    /// <summary>PR400-AN-0017: The account's credentials are wrong, or it is not active.</summary>
    public static PersoniumError AuthenticationFailed() => PersoniumError.Of("PR400-AN-0017");
    /// <summary>PR400-AN-0018: The token endpoint's Authorization header is invalid.</summary>
    public static PersoniumError AuthorizationHeaderInvalid() => PersoniumError.Of("PR400-AN-0018");
    /// <summary>PR400-AN-0019: The authorization code is invalid.</summary>
    public static PersoniumError InvalidGrantCode() => PersoniumError.Of("PR400-AN-0019");
    /// <summary>PR401-AN-0020: The client is not the one the token or code was issued to.</summary>
    public static PersoniumError ClientMismatch(string expected, string actual) => PersoniumError.Of("PR401-AN-0020", expected, actual);
    /// <summary>PR401-AN-0021: Client authentication is required.</summary>
    public static PersoniumError ClientAuthenticationRequired() => PersoniumError.Of("PR401-AN-0021");
    /// <summary>PR401-AN-0023: The account's password must be changed before it can sign in.</summary>
    public static PersoniumError PasswordChangeRequired() => PersoniumError.Of("PR401-AN-0023");

    // Authorization endpoint (AZ)
    /// <summary>PR400-AZ-0001: The response_type is not supported.</summary>
    public static PersoniumError UnsupportedResponseType() => PersoniumError.Of("PR400-AZ-0001");
    /// <summary>PR400-AZ-0002: client_id is missing or invalid.</summary>
    public static PersoniumError ClientIdInvalid() => PersoniumError.Of("PR400-AZ-0002");
    /// <summary>PR400-AZ-0003: redirect_uri is missing or invalid.</summary>
    public static PersoniumError RedirectUriInvalid() => PersoniumError.Of("PR400-AZ-0003");
    /// <summary>PR400-AZ-0004: response_type is missing.</summary>
    public static PersoniumError ResponseTypeInvalid() => PersoniumError.Of("PR400-AZ-0004");
    /// <summary>PR400-AZ-0008: expires_in is invalid.</summary>
    public static PersoniumError ExpiresInInvalid() => PersoniumError.Of("PR400-AZ-0008");
    /// <summary>PR401-AZ-0001: The user cancelled the sign-in.</summary>
    public static PersoniumError UserCancelled() => PersoniumError.Of("PR401-AZ-0001");

    // Authentication and authorization of requests (AU)
    /// <summary>PR400-AU-0001: The password does not meet the password format.</summary>
    public static PersoniumError PasswordFormatInvalid() => PersoniumError.Of("PR400-AU-0001");
    /// <summary>PR400-AU-0003: The new password (X-Personium-Credential) is required.</summary>
    public static PersoniumError PersoniumCredentialRequired() => PersoniumError.Of("PR400-AU-0003");
    /// <summary>PR401-AU-0002: The access token has expired.</summary>
    public static PersoniumError AccessTokenExpired() => PersoniumError.Of("PR401-AU-0002");
    /// <summary>PR401-AU-0004: The Basic authorization header is malformed.</summary>
    public static PersoniumError BasicAuthFormat() => PersoniumError.Of("PR401-AU-0004");
    /// <summary>PR401-AU-0007: A refresh token cannot be used as an access token.</summary>
    public static PersoniumError RefreshTokenNotAccepted() => PersoniumError.Of("PR401-AU-0007");
    /// <summary>PR401-AU-0008: The access token's signature is invalid.</summary>
    public static PersoniumError TokenSignatureInvalid() => PersoniumError.Of("PR401-AU-0008");
    /// <summary>PR401-AU-0009: The p_cookie does not open or belongs to another peer.</summary>
    public static PersoniumError CookieAuthenticationFailed() => PersoniumError.Of("PR401-AU-0009");
    /// <summary>PR401-AU-0010: Basic authentication failed because the account is locked.</summary>
    public static PersoniumError BasicAuthenticationLocked() => PersoniumError.Of("PR401-AU-0010");
    /// <summary>PR401-AU-0011: Basic authentication failed.</summary>
    public static PersoniumError BasicAuthenticationFailed() => PersoniumError.Of("PR401-AU-0011");
    /// <summary>PR401-AU-0012: A password-change token can only change the password.</summary>
    public static PersoniumError PasswordChangeTokenNotAccepted() => PersoniumError.Of("PR401-AU-0012");
    /// <summary>PR403-AU-0004: The resource requires schema (app) authentication.</summary>
    public static PersoniumError SchemaAuthenticationRequired() => PersoniumError.Of("PR403-AU-0004");
    /// <summary>PR403-AU-0005: The authenticated schema may not access the resource.</summary>
    public static PersoniumError SchemaMismatch() => PersoniumError.Of("PR403-AU-0005");
    /// <summary>PR403-AU-0006: The schema authorization level is insufficient.</summary>
    public static PersoniumError SchemaAuthzLevelInsufficient() => PersoniumError.Of("PR403-AU-0006");
    /// <summary>PR403-AU-0007: The token's scope does not grant the privilege required.</summary>
    public static PersoniumError OutOfScope(string privilege) => PersoniumError.Of("PR403-AU-0007", privilege);

    // Server limits and unimplemented requests
    /// <summary>PR503-SV-0001: Too many concurrent requests.</summary>
    public static PersoniumError TooManyConcurrentRequests() => PersoniumError.Of("PR503-SV-0001");
    /// <summary>PR415-MC-0001: The request body's media type is not supported.</summary>
    public static PersoniumError UnsupportedBodyMediaType() => PersoniumError.Of("PR415-MC-0001");
    /// <summary>PR501-MC-0001: The method is not implemented.</summary>
    public static PersoniumError MethodNotImplemented() => PersoniumError.Of("PR501-MC-0001");
    /// <summary>PR501-MC-0002: The feature is not implemented.</summary>
    public static PersoniumError NotImplemented(string feature) => PersoniumError.Of("PR501-MC-0002", feature);
}

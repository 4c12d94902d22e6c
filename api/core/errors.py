"""GraphQL errors with a code in `extensions.code`, as the contract names them."""
from graphql import GraphQLError


class CodedError(GraphQLError):
    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **extensions):
        super().__init__(message, extensions={"code": self.code, **extensions})


class BadUserInput(CodedError):
    """An invalid argument to a query: a malformed ARS or LeiKa key, an unknown state code…"""

    code = "BAD_USER_INPUT"

    def __init__(self, argument: str, message: str):
        super().__init__(f"{argument}: {message}", argument=argument)


class Unauthenticated(CodedError):
    code = "UNAUTHENTICATED"


class Forbidden(CodedError):
    code = "FORBIDDEN"
